#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry point ~25 ms faster than an ES module one, and
// import() works from here on the paths that need it (bin/load-bundle.js says why the bundle needs it from here).
'use strict'
// NO_COLOR must win before any colour library reads the environment (chalk 5 ignores NO_COLOR on a TTY),
// so set FORCE_COLOR=0 first and only then load oclif and the commands.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0'

const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  // Fast path: the same line oclif prints, without loading oclif (about 60 ms of the cold start).
  const {readFileSync} = require('node:fs')
  const {version} = JSON.parse(readFileSync(require('node:path').join(__dirname, '..', 'package.json'), 'utf8'))
  process.stdout.write(`aerakictl/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {join} = require('node:path')
  const {pathToFileURL} = require('node:url')
  const {loadBundle} = require('./load-bundle.js')
  const bundleUrl = (name) => pathToFileURL(join(__dirname, '..', 'dist', 'bundle', name))
  // import() lives here, in a real module: code V8 restores from a code cache cannot call it (see load-bundle.js).
  // client-node has two bundles (and code caches) of its own, loaded on a cluster command's first request: its core
  // (kubeconfig, auth, requests, logs, watches, exec, port-forward: src/lib/kube/client-node-core.ts) and the whole
  // package with the generated API classes and models, which only the commands that write (apply, install,
  // restart) load.
  let clientNode, clientNodeCore
  // What ran, for the code caches (load-bundle.js): the command id BaseCommand.init records.
  const runKey = () => globalThis.__aerakictlCommandId
  const importer = async (specifier) => {
    if (specifier === 'aerakictl:client-node-core') {
      clientNodeCore ??= loadBundle(bundleUrl('client-node-core.cjs'), importer, {runKey}) ?? (await importer('@kubernetes/client-node'))
      return clientNodeCore
    }
    if (specifier !== '@kubernetes/client-node') return import(specifier)
    clientNode ??= loadBundle(bundleUrl('client-node.cjs'), importer, {runKey}) ?? (await import(specifier))
    return clientNode
  }
  const main = async () => {
    const bundle = loadBundle(bundleUrl('aerakictl.cjs'), importer, {runKey})
    if (bundle) await bundle.main(args, `${join(__dirname, '..')}/`)
    else {
      // No bundle (a plain `tsc` build): oclif loads the commands from dist/commands. It looks for the package
      // from `dir` upwards, so it is pointed past bin/package.json at the package's own.
      const {execute} = await import('@oclif/core/execute')
      await execute({dir: pathToFileURL(join(__dirname, '..', 'package.json')).href})
    }
  }
  main().catch((error) => {
    // What an uncaught error in an ES module entry did (the bundle's main handles its own errors).
    console.error(error)
    process.exitCode = 1
  })
}
