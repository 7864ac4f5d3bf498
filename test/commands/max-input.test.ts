// Issue 12 §5: the cap on manifest input. A file (or stdin) over it is refused before it is parsed, naming the file
// and both ways to raise it; --max-input-mb raises (or lowers) it and wins over AERAKICTL_MAX_INPUT_MB.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'

let dir: string
let big: string
let text: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-max-input-'))
  big = join(dir, 'big.yaml')
  // About 2 MB of valid manifests: the size, not the content, is what is refused.
  const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: default\ndata:\n  k: ${'x'.repeat(400)}\n`
  text = Array.from({length: 4500}, (_, i) => doc(i)).join('---\n')
  writeFileSync(big, text)
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const RAISE = '(--max-input-mb or AERAKICTL_MAX_INPUT_MB raises it)'

describe('--max-input-mb', () => {
  it('refuses a file or stdin over the cap, in every command that reads manifests, and names what raises it', async () => {
    const mb = (text.length / 1024 / 1024).toFixed(1)
    for (const args of [['route', 'analyze', '-f', big], ['route', 'dry-run', '-f', big], ['apply', '-f', big, '--dry-run', 'client'], ['route', 'verify', '--file', join(dir, 'none.json'), '-f', big]]) {
      const r = await runCli([...args, '--max-input-mb', '1'])
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2)
      expect(r.stderr, args.join(' ')).toContain(`${big}: ${mb} MB is more than the 1 MB input limit ${RAISE}`)
    }
    const stdin = await runCli(['route', 'analyze', '-f', '-', '--max-input-mb', '1'], {input: text})
    expect(stdin.code).toBe(2)
    expect(stdin.stderr).toContain(`<stdin>: more than the 1 MB input limit ${RAISE}`)
  }, 120_000)

  it('raises the cap, and wins over AERAKICTL_MAX_INPUT_MB', async () => {
    const env = await runCli(['route', 'analyze', '-f', big], {env: {AERAKICTL_MAX_INPUT_MB: '1'}})
    expect(env.code).toBe(2)
    expect(env.stderr).toContain('MB is more than the 1 MB input limit')
    const raised = await runCli(['route', 'analyze', '-f', big, '--max-input-mb', '3', '-o', 'json'], {env: {AERAKICTL_MAX_INPUT_MB: '1'}})
    expect(raised.code, raised.stderr).toBe(0)
    expect(JSON.parse(raised.stdout).failed).toBe(false)
  }, 120_000)

  it('takes a size in MB greater than 0', async () => {
    for (const value of ['0', '-1', 'abc', '']) {
      const r = await runCli(['route', 'analyze', '-f', big, '--max-input-mb', value])
      expect(r.code, value).toBe(2)
      expect(r.stderr, value).toContain(`expected a size in MB greater than 0, such as 64 or 0.5, not ${JSON.stringify(value)}`)
    }
  })
})
