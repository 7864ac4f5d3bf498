// bin/make-dirs.js: `mkdir -p` that ends with an error where node's recursive mkdir spins for ever (a parent that
// exists but answers ENOENT for a child: /proc). Each call runs in a Node process of its own, killed if it does not end, so a
// regression fails here instead of freezing the test worker.
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const MAKE_DIRS = fileURLToPath(new URL('../../bin/make-dirs.js', import.meta.url))
let dir: string
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'aerakictl-make-dirs-'))))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** makeDirs(path, mode) in a child process: 'ok' or the error's code. */
async function makeDirs(path: string, mode?: number): Promise<string> {
  const script = `try { require(${JSON.stringify(MAKE_DIRS)}).makeDirs(${JSON.stringify(path)}${mode === undefined ? '' : `, ${mode}`}); process.stdout.write('ok') } catch (e) { process.stdout.write(String(e.code)) }`
  const {stdout} = await promisify(execFile)(process.execPath, ['-e', script], {timeout: 30_000, killSignal: 'SIGKILL'})
  return stdout
}

describe('makeDirs', () => {
  it('makes every missing level with the mode asked for, and is content when the folder is already there', async () => {
    const deep = join(dir, 'a', 'b', 'c')
    expect(await makeDirs(deep, 0o700)).toBe('ok')
    expect(statSync(deep).isDirectory()).toBe(true)
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700)
    expect(await makeDirs(deep)).toBe('ok')
  })

  it('ends with ENOENT under /proc, where fs.mkdirSync(…, {recursive: true}) never returns', async () => {
    expect(await makeDirs('/proc/aerakictl-nowhere/cache')).toBe('ENOENT')
    expect(await makeDirs('/proc/aerakictl-nowhere')).toBe('ENOENT')
  })

  it('ends with ENOENT under a dangling symlink', async () => {
    const dangling = join(dir, 'dangling')
    symlinkSync(join(dir, 'unmounted-disk'), dangling)
    expect(await makeDirs(join(dangling, 'x', 'y'))).toBe('ENOENT')
  })

  it('ends with ENOTDIR when a level is a file, the last one included', async () => {
    const file = join(dir, 'file')
    writeFileSync(file, '')
    expect(await makeDirs(join(file, 'x'))).toBe('ENOTDIR')
    expect(await makeDirs(file)).toBe('ENOTDIR')
  })
})
