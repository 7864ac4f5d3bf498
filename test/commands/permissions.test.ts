// Issue 12 §5: files and folders the user may not read, and a --kubeconfig where the user may not write, are bad
// input (exit 2) naming the path, never a stack trace. The built CLI runs with file permissions applied as to a
// user, also when the suite runs as root (runBin's filePermissions: setpriv drops root's file override).
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runBin} from '../support/cli.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-perms-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const STACK = /\n\s+at |unexpected failure/

describe('what the user may not read or write', () => {
  it('an unreadable manifest file and an unreadable folder: exit 2 naming the path', async () => {
    const file = join(dir, 'locked.yaml')
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n')
    chmodSync(file, 0)
    const folder = join(dir, 'locked-folder')
    mkdirSync(folder)
    writeFileSync(join(folder, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n')
    chmodSync(folder, 0)
    try {
      for (const [path, what] of [[file, 'permission denied'], [folder, 'cannot list the folder: permission denied']]) {
        for (const args of [['route', 'dry-run', '-f', path], ['route', 'analyze', '-f', path]]) {
          const r = await runBin(args, {filePermissions: true})
          expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2)
          expect(r.stderr).toContain(`${path}: ${what}`)
          expect(r.stderr).not.toMatch(STACK)
        }
      }
    } finally {
      chmodSync(folder, 0o700)
    }
  }, 60_000)

  it('a --kubeconfig in a folder the user may not write: the playground does not start, exit 2 naming the path', async () => {
    const ro = join(dir, 'read-only')
    mkdirSync(ro, {mode: 0o500})
    chmodSync(ro, 0o500)
    try {
      const r = await runBin(['playground', '--kubeconfig', join(ro, 'sub', 'pg.kubeconfig'), '--port', '0'], {filePermissions: true})
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain(`--kubeconfig: cannot create the directory ${ro}/sub: permission denied`)
      expect(r.stderr).not.toMatch(STACK)
      expect(r.stdout).toBe('')
    } finally {
      chmodSync(ro, 0o700)
    }
  }, 60_000)

  it('a --kubeconfig under /proc: exit 2 naming the path (node\'s recursive mkdir spun there for ever)', async () => {
    const r = await runBin(['playground', '--kubeconfig', '/proc/aerakictl-nowhere/sub/pg.kubeconfig', '--port', '0'], {killAfterMs: 30_000})
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain('--kubeconfig: cannot create the directory /proc/aerakictl-nowhere/sub: no such file or directory')
    expect(r.stderr).not.toMatch(STACK)
  }, 60_000)
})
