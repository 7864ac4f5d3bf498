// Loads a CommonJS bundle (scripts/bundle.mjs) the way require() would, but compiled through vm.Script with a V8
// code cache, since Node 20 has neither module.enableCompileCache nor NODE_COMPILE_CACHE (both arrive in 22.1).
//
// The cache lives in $XDG_CACHE_HOME/aerakictl/<node version>/ (default ~/.cache) and is keyed by the bundle's
// place, size and mtime: V8 itself only checks its own version, flags and the source length, so a rebuilt bundle of the
// same length must never meet an old cache. It is written at exit, when it holds the functions that ran: by the
// first run, again when V8 rejects it, and again after the first run of each command (`runKey`) the cache has not
// seen yet, since a cache written by `route dry-run` lacks the functions of `route analyze`, which then compile from
// source at every start (measured: analyze 390 ms with dry-run's cache, 275 ms with one that holds its functions).
// V8 writes every function that has bytecode, those it restored from the cache included, so the cache grows to the
// union of the commands run; the keys it holds are kept beside it (`.keys`). A cache that cannot be read or written
// (no home, read-only disk) costs nothing but the speed-up.
//
// Code restored from a cache has no dynamic-import callback on Node 20 (import() throws
// ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, also with vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER), so the bundle
// calls `__aerakictlImport`, which the caller provides (bin/run.js, whose import() is Node's own).
//
// CommonJS (bin/package.json): an ES module entry point costs Node ~25 ms more to start (the ESM loader and
// reading the package's package.json for its type); import() still works from CommonJS, on the paths that use it.
'use strict'
const {readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} = require('node:fs')
const {createRequire} = require('node:module')
const {homedir} = require('node:os')
const {basename, dirname, join} = require('node:path')
const {fileURLToPath, pathToFileURL} = require('node:url')
const {Script} = require('node:vm')
const {makeDirs} = require('./make-dirs.js')

/**
 * The cache file for a bundle at this place with this size and mtime, or undefined when there is no place for it.
 * The name starts with the bundle's name and a hash of its directory, so two installs (a global one and a
 * project's, or two checkouts) keep a cache each instead of removing each other's at every run.
 */
function cachePath(bundle, stat, env = process.env) {
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : '')
  if (!base) return undefined
  return join(base, 'aerakictl', process.version, `${cachePrefix(bundle)}${stat.size}-${Math.trunc(stat.mtimeMs)}.v8cache`)
}

function cachePrefix(bundle) {
  // FNV-1a of the directory (node:crypto would cost a module load on every start)
  let h = 0x811c9dc5
  for (const c of dirname(bundle)) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0
  const where = h.toString(16).padStart(8, '0')
  return `${basename(bundle, '.cjs')}-${where}-`
}

/** The keys (command ids) whose functions a cache holds, or [] when the list is missing or unreadable. */
function readKeys(file) {
  try {
    const keys = JSON.parse(readFileSync(file, 'utf8'))
    return Array.isArray(keys) ? keys : []
  } catch {
    return []
  }
}

/** Writes `data` to `file` through a temporary file, so a concurrent start never reads half a file. */
function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}

/**
 * Runs the bundle and returns its exports, or undefined when there is no bundle file.
 * `runKey`, asked at exit, names what this run did (the command id); a key the cache has not seen has it written
 * again. `onCache` (tests) hears what happened to the cache: 'accepted', 'rejected', 'missing', plus 'written' or
 * 'unwritable' at exit.
 */
function loadBundle(url, importer, {onCache, runKey} = {}) {
  const filename = fileURLToPath(url)
  let stat, source
  try {
    stat = statSync(filename)
    source = readFileSync(filename, 'latin1') // the bundle is ASCII (charset: 'ascii'); latin1 makes a one-byte string
  } catch {
    return undefined
  }
  const cacheFile = cachePath(filename, stat)
  let cachedData
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile)
  } catch {}
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`
  const script = new Script(wrapper, {filename, cachedData})
  const state = cachedData ? (script.cachedDataRejected ? 'rejected' : 'accepted') : 'missing'
  onCache?.(state)
  if (cacheFile) {
    const keysFile = `${cacheFile}.keys`
    const seen = state === 'accepted' ? readKeys(keysFile) : []
    process.once('exit', () => {
      const key = runKey?.()
      const newKey = typeof key === 'string' && !seen.includes(key)
      if (state === 'accepted' && !newKey) return
      try {
        makeDirs(dirname(cacheFile))
        writeAtomically(cacheFile, script.createCachedData())
        writeAtomically(keysFile, JSON.stringify(newKey ? [...seen, key] : seen))
        onCache?.('written')
        if (state === 'accepted') return
        // caches of earlier builds of this bundle are of no use any more
        const prefix = cachePrefix(filename)
        for (const f of readdirSync(dirname(cacheFile))) {
          const other = join(dirname(cacheFile), f)
          if (f.startsWith(prefix) && (f.endsWith('.v8cache') || f.endsWith('.v8cache.keys')) && other !== cacheFile && other !== keysFile) rmSync(other, {force: true})
        }
      } catch {
        onCache?.('unwritable')
      }
    })
  }
  const dir = dirname(filename)
  globalThis.__aerakictlImport = importer
  globalThis.__aerakictlUrl = (rel) => new URL(rel, pathToFileURL(`${dir}/`)).href
  const module = {exports: {}, filename, id: filename, loaded: false}
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, dir)
  module.loaded = true
  return module.exports
}

module.exports = {cachePath, loadBundle}
