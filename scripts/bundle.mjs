#!/usr/bin/env node
// Builds dist/bundle/aerakictl.cjs: oclif and every command of dist/ (the tsc output) in one CommonJS file, which
// bin/run.js compiles through vm.Script with a V8 code cache (bin/run.js says why and where the cache lives).
//
// - Commands use oclif's "explicit" discovery: COMMANDS has one lazy getter per command id, so a run initialises
//   only the module graph of the command it runs (oclif @oclif/core 4.14 config/plugin.js, loadCommandsFromTarget
//   reads `commandCache` before importing anything). The manifest (oclif.manifest.json) still describes the
//   commands for help and parsing, so no command module is touched to list them.
// - Code that V8 restores from a code cache has no dynamic-import callback on Node 20
//   (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so the bundle must never call import() itself. Modules kept out of it
//   (EXTERNAL: client-node has its own bundle, ink has top-level await) and oclif's module loader (plugins, hooks)
//   go through `__aerakictlImport`, which bin/run.js defines in real ESM. Every other import() is bundled, and
//   esbuild turns it into a lazy in-bundle initialisation.
// - `import.meta.url` becomes the URL the file had under dist/ (or node_modules/), computed from the bundle's own
//   directory, so files read next to a module (embedded demos, templates, wasm) are found as before.
// - ASCII only: V8 reads a one-byte source much faster than a two-byte one.
import {existsSync, mkdirSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import * as esbuild from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, 'dist', 'bundle')
const outFile = join(outDir, 'aerakictl.cjs')
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/** Bare specifiers (and dist files) left to real ESM: loaded only on the paths that use them. */
const EXTERNAL_PACKAGES = ['@kubernetes/client-node', 'ink', 'react', 'yoga-layout']
const EXTERNAL_DIST_FILES = ['lib/install/progress/ink-view.js', 'lib/sidecar/viewer/ink-viewer.js']

const getters = Object.entries(manifest.commands).map(([id, c]) => {
  const file = join(root, ...c.relativePath)
  if (!existsSync(file)) throw new Error(`manifest names ${file}, which the build did not produce`)
  return `  get ${JSON.stringify(id)}() { return require(${JSON.stringify(file)}).default },`
})
const entry = `
import {Config} from '@oclif/core/config'
import {run} from '@oclif/core/run'
import {handle} from '@oclif/core/handle'
export const COMMANDS = {
${getters.join('\n')}
}
const PJSON = ${JSON.stringify(runtimePjson())}
export async function main(argv, root) {
  // oclif loads package.json's helpClass through its module loader, from dist/ and node_modules; from here it is the
  // bundled one (see the rewrite of help/index.js loadHelpClass).
  globalThis.__aerakictlHelpClass = () => require(${JSON.stringify(helpClassFile())}).default
  try {
    const config = await Config.load({root, pjson: PJSON})
    config.rootPlugin.commandCache = COMMANDS
    await run(argv, config)
  } catch (error) {
    await handle(error) // exits, with the error's code
  }
  // The command is done: once stdout and stderr have taken its output (no time limit: oclif's flush() fails a reader
  // slower than 10 s), end now, as an error does, instead of waiting for connections to wind down
  // (sidecar-config's WebSocket close handshake and TLS shutdown kept the process ~25 ms after its output; a server
  // that never answers the close would keep it 30 s, ws's close timeout).
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))))
  process.exit()
}
`

/** The file package.json's oclif.helpClass names, in dist/. */
function helpClassFile() {
  const target = pjson.oclif?.helpClass
  const file = typeof target === 'string' ? join(root, target) : undefined
  if (!file || !existsSync(file)) throw new Error(`package.json oclif.helpClass must name a built file (a string), not ${JSON.stringify(target)}`)
  return file
}

/**
 * package.json as oclif needs it at run time: explicit commands, and only the dependencies that are plugins (oclif
 * matches every dependency against every plugin pattern with minimatch on each start: plugin-loader.js
 * loadCorePlugins).
 */
function runtimePjson() {
  const plugins = pjson.oclif?.plugins ?? []
  const dependencies = Object.fromEntries(Object.entries(pjson.dependencies ?? {}).filter(([name]) => plugins.includes(name)))
  const {devDependencies: _d, scripts: _s, ...rest} = pjson
  return {...rest, dependencies, oclif: {...pjson.oclif, commands: {strategy: 'explicit', target: './dist/bundle/aerakictl.cjs', identifier: 'COMMANDS'}}}
}

/**
 * src/lib/kube/client-node-core.ts: the part of client-node that needs none of its generated models. Its import()
 * becomes __aerakictlImport(CORE_SPECIFIER), which bin/run.js maps to dist/bundle/client-node-core.cjs.
 */
const CORE_MODULE = join(root, 'dist', 'lib', 'kube', 'client-node-core.js')
const CORE_SPECIFIER = 'aerakictl:client-node-core'

const isExternalPackage = (spec) => EXTERNAL_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`))
const urlOf = (file) => `__aerakictlUrl(${JSON.stringify(relative(outDir, file).split(sep).join('/'))})`

/** `text` with `from` replaced by `to`; the build fails when a dependency no longer holds `from`. */
function replaceOnce(file, text, from, to) {
  if (!text.includes(from)) throw new Error(`${relative(root, file)} no longer holds ${JSON.stringify(from)}: update scripts/bundle.mjs`)
  return text.replace(from, to)
}

/** Rewrites import.meta.url and the dynamic imports that must stay outside the bundle. */
const rewrite = {
  name: 'aerakictl-rewrite',
  setup(build) {
    build.onLoad({filter: /\.(c|m)?js$/}, (args) => {
      let text = readFileSync(args.path, 'utf8')
      const before = text
      // oclif sorts each plugin's command ids with localeCompare on every start (config/plugin.js, Plugin.load),
      // and the first localeCompare builds an ICU collator (~9 ms). Ids are lower-case ASCII, so code-unit order
      // is the same order without the collator. Help still sorts its own lists as oclif does.
      if (/[\\/]@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/.test(args.path)) text = text.replace('.sort((a, b) => a.id.localeCompare(b.id))', '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))')
      // Help: the bundled help class (main() in the entry sets it) instead of loading package.json's helpClass and
      // oclif's help from dist/ and node_modules, without the code cache (64 files, ~60 ms of every --help).
      if (/[\\/]@oclif[\\/]core[\\/]lib[\\/]help[\\/]index\.js$/.test(args.path)) text = replaceOnce(args.path, text, 'async function loadHelpClass(config) {\n', 'async function loadHelpClass(config) {\n    if (globalThis.__aerakictlHelpClass) return globalThis.__aerakictlHelpClass();\n')
      // Computed specifiers (oclif's module loader for plugins and hooks, lilconfig) can only be real ESM imports.
      text = text.replace(/(?<![\w$.])import\((?![)'"`])/g, '__aerakictlImport(')
      text = text.replace(/\bimport\((['"])([^'"]+)\1\)/g, (all, q, spec) => {
        if (isExternalPackage(spec)) return `__aerakictlImport(${JSON.stringify(spec)})`
        if (spec.startsWith('.')) {
          const target = resolve(dirname(args.path), spec)
          if (target === CORE_MODULE) return `__aerakictlImport(${JSON.stringify(CORE_SPECIFIER)})`
          if (EXTERNAL_DIST_FILES.some((f) => target === join(root, 'dist', f))) return `__aerakictlImport(new URL(${JSON.stringify(spec)}, import.meta.url).href)`
        }
        return all
      })
      // A synchronous lazy load (`createRequire(import.meta.url)('js-yaml')`, src/lib/routing/world.ts) becomes a
      // require() of the bundled module, initialised on first use: left as it was, it loaded a second, unbundled copy
      // from node_modules, module resolution included, without the code cache (19 ms of route analyze).
      text = text.replace(/\bcreateRequire\(import\.meta\.url\)\((['"])([^'"]+)\1\)/g, (all, q, spec) => `require(${JSON.stringify(spec)})`)
      text = text.replace(/\bimport\.meta\.url\b/g, urlOf(args.path))
      if (text === before) return undefined
      return {contents: text, loader: 'js', resolveDir: dirname(args.path)}
    })
  },
}

/**
 * A require() of a package the bundle also imports resolves to the file the import does (the "import" condition), so
 * both share one copy: js-yaml and re2js would otherwise be in the bundle twice, as ESM and as CommonJS.
 */
const requireAsImport = {
  name: 'require-as-import',
  setup(build) {
    build.onResolve({filter: /^[^./]/}, async (a) => {
      if (a.kind !== 'require-call' || a.pluginData?.asImport || !a.importer.startsWith(join(root, 'dist'))) return undefined
      const r = await build.resolve(a.path, {resolveDir: a.resolveDir, kind: 'import-statement', pluginData: {asImport: true}})
      return r.errors.length ? undefined : {path: r.path, external: r.external, sideEffects: r.sideEffects}
    })
  },
}

/**
 * `debug` (oclif's logger, socks-proxy-agent) is loaded only when DEBUG is set: it reads DEBUG once, when it loads,
 * and logs nothing without it, yet loading it pulls in tty, util and supports-color (~6 ms of every start, node
 * --cpu-prof). Its importers only call the function `debug(namespace)` returns.
 */
const lazyDebug = {
  name: 'lazy-debug',
  setup(build) {
    build.onResolve({filter: /^debug$/}, async (a) => {
      if (a.pluginData?.real) return undefined
      const real = await build.resolve('debug', {resolveDir: a.resolveDir, kind: 'require-call', pluginData: {real: true}})
      if (real.errors.length) return {errors: real.errors}
      return {path: real.path, namespace: 'lazy-debug'}
    })
    build.onLoad({filter: /.*/, namespace: 'lazy-debug'}, (a) => ({
      contents: `module.exports = function debug(namespace) {
  let log
  return function (...args) {
    if (!process.env.DEBUG) return
    log ??= require(${JSON.stringify(a.path)})(namespace)
    log(...args)
  }
}`,
      loader: 'js', resolveDir: dirname(a.path),
    }))
  },
}

mkdirSync(outDir, {recursive: true})

/**
 * One CommonJS bundle; fails when an import() the code cache would break is left in it, or when it holds a file
 * `forbid` (given each input's absolute path) refuses, saying `forbidWhy`.
 */
async function bundle(entry, outfile, extra = {}) {
  const {forbid, forbidWhy, ...options} = extra
  const result = await esbuild.build({
    stdin: {contents: entry, resolveDir: root, sourcefile: `${relative(outDir, outfile)}-entry.js`, loader: 'js'},
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    // typescript: only oclif's development mode (ts-path) requires it.
    external: [...EXTERNAL_PACKAGES, 'typescript'],
    // What is left of import() (bundled modules, node: builtins) becomes a lazy require inside the bundle.
    supported: {'dynamic-import': false},
    plugins: [rewrite, requireAsImport, lazyDebug],
    charset: 'ascii',
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    // No keepNames: esbuild's __name() wrapper ran on every function and class at load (~20 ms of a dry-run's
    // 200 ms, paired runs); nothing reads a bundled function's or class's name (errors set their `name` themselves).
    keepNames: false,
    logLevel: 'warning',
    metafile: true,
    banner: {js: '// Generated by scripts/bundle.mjs from dist/ and node_modules; do not edit.'},
    ...options,
  })
  const out = readFileSync(outfile, 'utf8')
  const stray = [...out.matchAll(/(?<![\w$.'"`])import\((?![)])/g)].length
  if (stray) throw new Error(`${outfile}: ${stray} import() call(s) left in the bundle; add the module to EXTERNAL_PACKAGES or EXTERNAL_DIST_FILES`)
  if (process.env.AERAKICTL_BUNDLE_REPORT) {
    const sizes = new Map()
    for (const [k, v] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
      const key = k.includes('node_modules/') ? k.replace(/.*node_modules\//, '').split('/').slice(0, k.includes('node_modules/@') ? 2 : 1).join('/') : k.split('/').slice(0, 3).join('/')
      sizes.set(key, (sizes.get(key) ?? 0) + v.bytesInOutput)
    }
    for (const [k, v] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(v / 1024).toFixed(0).padStart(6)} KiB  ${k}`)
  }
  if (forbid) {
    const hit = Object.keys(result.metafile.inputs).find((k) => forbid(resolve(root, k)))
    if (hit) throw new Error(`${outfile} holds ${hit}, which it must not (${forbidWhy})`)
  }
  const inputs = Object.keys(result.metafile.inputs).length
  console.log(`bundled ${inputs} modules into ${relative(root, outfile)} (${(out.length / 1048576).toFixed(1)} MiB)`)
}

// A static import of client-node-core.js would put the whole of client-node in front of every command.
await bundle(entry, outFile, {minifyIdentifiers: true, forbid: (file) => file === CORE_MODULE, forbidWhy: 'import it with import() only'})
// client-node on its own (it is ~14 MB over 800 modules as shipped): only cluster commands load it, through
// __aerakictlImport('@kubernetes/client-node'), which bin/run.js maps to this file. Minified: nothing reads its names.
// Only the exports dist/ names (any identifier in dist/ equal to an export name; more is harmless, fewer is not),
// which halves the bundle: the API classes nobody calls are dropped.
const clientNodeExports = Object.keys(await import('@kubernetes/client-node'))
const used = new Set()
for (const f of readdirSync(join(root, 'dist'), {recursive: true})) {
  if (!f.endsWith('.js') || f.startsWith(`bundle${sep}`)) continue
  for (const m of readFileSync(join(root, 'dist', f), 'utf8').matchAll(/[A-Za-z_$][\w$]*/g)) used.add(m[0])
}
const names = clientNodeExports.filter((n) => used.has(n) && n !== 'default')
// node-fetch 2 only falls back to whatwg-url when Node has no URL class (`Url.URL || whatwgUrl.URL`, node-fetch
// lib/index.js), which Node 20 always has; its tr46 tables are a sixth of the bundle, initialised at load.
const nodeUrlForWhatwg = {
  name: 'whatwg-url-is-node-url',
  setup(build) {
    build.onResolve({filter: /^whatwg-url$/}, () => ({path: 'whatwg-url', namespace: 'node-url'}))
    build.onLoad({filter: /.*/, namespace: 'node-url'}, () => ({contents: 'module.exports = {URL: require("node:url").URL}', loader: 'js'}))
  },
}
await bundle(`export {${names.join(', ')}} from '@kubernetes/client-node'`, join(outDir, 'client-node.cjs'), {
  external: ['typescript'], minifyIdentifiers: true, plugins: [rewrite, lazyDebug, nodeUrlForWhatwg],
})

// client-node-core.cjs: the names client-node-core.ts exports, each from the client-node file that defines it, so
// that none of the package's index files (which re-export the generated APIs and ~900 model files) is reached.
// config.js and log.js import two of those index files for one or two names each; they get those names directly.
const clientNodeDist = dirname(fileURLToPath(import.meta.resolve('@kubernetes/client-node')))
const CORE_SOURCES = {
  KubeConfig: 'config.js', Log: 'log.js', Watch: 'watch.js', PortForward: 'portforward.js', Exec: 'exec.js',
  createConfiguration: 'gen/configuration.js', ServerConfiguration: 'gen/servers.js', HttpMethod: 'gen/http/http.js', ApiException: 'gen/apis/exception.js',
}
const coreNames = [...readFileSync(CORE_MODULE, 'utf8').matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((n) => n.trim()).filter(Boolean))
const unmapped = coreNames.filter((n) => !CORE_SOURCES[n])
if (unmapped.length || coreNames.length === 0) throw new Error(`${relative(root, CORE_MODULE)} exports ${unmapped.join(', ') || 'nothing'}: say in scripts/bundle.mjs CORE_SOURCES which client-node file defines each`)
const INDEX_SHIMS = {'./gen/index.js': ['createConfiguration', 'ServerConfiguration'], './api.js': ['ApiException']}
const coreShims = {
  name: 'client-node-core-shims',
  setup(build) {
    build.onResolve({filter: /^\.\/(gen\/index|api)\.js$/}, (a) => (dirname(a.importer) === clientNodeDist ? {path: a.path, namespace: 'client-node-core-shim'} : undefined))
    build.onLoad({filter: /.*/, namespace: 'client-node-core-shim'}, (a) => ({
      contents: INDEX_SHIMS[a.path].map((n) => `export {${n}} from ${JSON.stringify(join(clientNodeDist, CORE_SOURCES[n]))}`).join('\n'),
      loader: 'js', resolveDir: clientNodeDist,
    }))
  },
}
await bundle(coreNames.map((n) => `export {${n}} from ${JSON.stringify(join(clientNodeDist, CORE_SOURCES[n]))}`).join('\n'), join(outDir, 'client-node-core.cjs'), {
  external: ['typescript'], minifyIdentifiers: true, plugins: [coreShims, rewrite, lazyDebug, nodeUrlForWhatwg],
  forbid: (file) => /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/](index|api|gen[\\/]index|gen[\\/]models[\\/].*)\.js$/.test(file), forbidWhy: 'the generated models are what this bundle leaves out',
})
