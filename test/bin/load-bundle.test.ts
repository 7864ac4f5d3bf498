// bin/load-bundle.js: the V8 code cache of a bundle is written after the first run, used by the next, replaced
// when V8 rejects it, and never a failure when it cannot be written; import() keeps working through the importer.
import {execFile} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const LOADER = fileURLToPath(new URL('../../bin/load-bundle.js', import.meta.url))
let dir: string
let bundle: string
let runner: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-bundle-'))
  bundle = join(dir, 'b.cjs')
  // What scripts/bundle.mjs produces, in small: CommonJS that reaches externals only through __aerakictlImport.
  writeFileSync(bundle, `exports.run = async () => { const os = await __aerakictlImport('node:os'); return [typeof os.platform, typeof require, __filename.endsWith('b.cjs'), __aerakictlUrl('x.json').startsWith('file:')].join(',') }
// Two "commands": each compiles only when called, so a cache written after one lacks the other.
exports.one = () => { let s = 0; for (let i = 0; i < 100; i++) s += [i, i * 2, i * 3].map((x) => x % 7).reduce((a, b) => a + b, 0); return s }
exports.two = () => { const o = {}; for (const w of 'the quick brown fox jumps over the lazy dog'.split(' ')) o[w] = (o[w] ?? 0) + w.length; return Object.keys(o).sort().join('|') }
`)
  runner = join(dir, 'runner.mjs')
  writeFileSync(runner, `import {loadBundle} from ${JSON.stringify(pathToFileURL(LOADER).href)}
const events = []
const b = loadBundle(new URL(${JSON.stringify(pathToFileURL(bundle).href)}), (s) => import(s), {onCache: (e) => events.push(e), runKey: () => process.env.KEY})
const result = await b.run()
if (process.env.KEY) b[process.env.KEY]()
process.on('exit', () => process.stdout.write(JSON.stringify({result, events})))
`)
})

afterAll(() => rmSync(dir, {recursive: true, force: true}))

async function run(cacheHome: string, key?: 'one' | 'two'): Promise<{result: string; events: string[]}> {
  // Killed (SIGKILL: a busy loop runs no handler) if it does not end: the test then fails instead of hanging.
  const {stdout} = await promisify(execFile)(process.execPath, [runner], {env: {...process.env, XDG_CACHE_HOME: cacheHome, ...(key ? {KEY: key} : {})}, timeout: 30_000, killSignal: 'SIGKILL'})
  return JSON.parse(stdout)
}

const cacheFiles = (home: string) => {
  const d = join(home, 'aerakictl', process.version)
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.v8cache')).map((f) => join(d, f)) : []
}

describe('loadBundle', () => {
  it('writes the cache after the first run under $XDG_CACHE_HOME/aerakictl/<node version>/, and the next run uses it', async () => {
    const home = join(dir, 'cache1')
    const first = await run(home)
    expect(first.result).toBe('function,function,true,true')
    expect(first.events).toEqual(['missing', 'written'])
    expect(cacheFiles(home)).toHaveLength(1)
    const second = await run(home)
    expect(second.events).toEqual(['accepted'])
    // import() through the importer still works in code V8 restored from the cache
    expect(second.result).toBe('function,function,true,true')
  })

  it('writes the cache again after the first run of each key it has not seen, so it holds every command\'s functions', async () => {
    const home = join(dir, 'cache-keys')
    expect((await run(home, 'one')).events).toEqual(['missing', 'written'])
    const [file] = cacheFiles(home)
    const keys = () => JSON.parse(readFileSync(`${file}.keys`, 'utf8'))
    expect(keys()).toEqual(['one'])
    const afterOne = readFileSync(file).length
    expect((await run(home, 'one')).events).toEqual(['accepted'])
    expect((await run(home, 'two')).events).toEqual(['accepted', 'written'])
    expect(keys()).toEqual(['one', 'two'])
    // V8 wrote the functions it restored (one's) and those it compiled (two's)
    expect(readFileSync(file).length).toBeGreaterThan(afterOne)
    expect((await run(home, 'two')).events).toEqual(['accepted'])
    expect((await run(home, 'one')).events).toEqual(['accepted'])
    expect((await run(home)).events).toEqual(['accepted'])
    expect(cacheFiles(home)).toEqual([file])
  })

  it('replaces a cache V8 rejects', async () => {
    const home = join(dir, 'cache2')
    await run(home)
    const [file] = cacheFiles(home)
    const good = readFileSync(file)
    writeFileSync(file, Buffer.alloc(good.length, 7))
    const r = await run(home)
    expect(r.events).toEqual(['rejected', 'written'])
    expect(readFileSync(file).equals(Buffer.alloc(good.length, 7))).toBe(false)
    expect((await run(home)).events).toEqual(['accepted'])
  })

  it('runs normally when the cache cannot be written', async () => {
    const home = join(dir, 'not-a-dir')
    writeFileSync(home, 'a file where the cache folder would go')
    const r = await run(home)
    expect(r.result).toBe('function,function,true,true')
    expect(r.events).toEqual(['missing', 'unwritable'])
  })

  it('ends, and runs normally, when the cache folder is under /proc (node\'s recursive mkdir spun there for ever)', async () => {
    const r = await run('/proc/aerakictl-nowhere/cache')
    expect(r.result).toBe('function,function,true,true')
    expect(r.events).toEqual(['missing', 'unwritable'])
  })

  it('keys the cache by the bundle file, so a rebuilt bundle of the same length never meets the old cache', async () => {
    const home = join(dir, 'cache3')
    mkdirSync(home)
    await run(home)
    const before = cacheFiles(home)
    const later = new Date(Date.now() + 5000)
    utimesSync(bundle, later, later) // same bytes and length, as after a rebuild; only the mtime tells them apart
    expect((await run(home)).events).toEqual(['missing', 'written'])
    expect(cacheFiles(home)).toHaveLength(1) // the old build's cache is removed
    expect(cacheFiles(home)).not.toEqual(before)
  })

  it('keeps one cache per bundle location: a second copy of the bundle elsewhere leaves the first one\'s cache alone', async () => {
    const home = join(dir, 'cache4')
    await run(home)
    const [first] = cacheFiles(home)
    const other = join(dir, 'copy')
    mkdirSync(other)
    const otherBundle = join(other, 'b.cjs')
    writeFileSync(otherBundle, readFileSync(bundle))
    const otherRunner = join(other, 'runner.mjs')
    writeFileSync(otherRunner, readFileSync(runner, 'utf8').replace(pathToFileURL(bundle).href, pathToFileURL(otherBundle).href))
    const {stdout} = await promisify(execFile)(process.execPath, [otherRunner], {env: {...process.env, XDG_CACHE_HOME: home}})
    expect(JSON.parse(stdout).events).toEqual(['missing', 'written'])
    expect(cacheFiles(home)).toHaveLength(2)
    expect(cacheFiles(home)).toContain(first)
    expect((await run(home)).events).toEqual(['accepted'])
  })
})
