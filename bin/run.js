#!/usr/bin/env node
// NO_COLOR must win before any colour library reads the environment (chalk 5 ignores NO_COLOR on a TTY),
// so set FORCE_COLOR=0 first and only then load oclif and the commands.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0'

const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Fast path: the same line oclif prints, without loading oclif (about 60 ms of the cold start).
  const {readFileSync} = await import('node:fs')
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`aerakictl/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {loadBundle} = await import('./load-bundle.js')
  // import() lives here, in real ESM: code V8 restores from a code cache cannot call it (see load-bundle.js).
  // client-node has a bundle (and code cache) of its own, loaded on a cluster command's first request.
  let clientNode
  const importer = async (specifier) => {
    if (specifier !== '@kubernetes/client-node') return import(specifier)
    clientNode ??= loadBundle(new URL('../dist/bundle/client-node.cjs', import.meta.url), importer) ?? (await import(specifier))
    return clientNode
  }
  const bundle = loadBundle(new URL('../dist/bundle/aerakictl.cjs', import.meta.url), importer)
  if (bundle) await bundle.main(args, new URL('..', import.meta.url).pathname)
  else {
    // No bundle (a plain `tsc` build): oclif loads the commands from dist/commands.
    const {execute} = await import('@oclif/core/execute')
    await execute({dir: import.meta.url})
  }
}
