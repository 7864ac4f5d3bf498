// Shell completion: the scripts for bash, zsh and fish are generated, and bash itself completes through the real
// binary (`aerakictl` on the PATH is bin/run.js): `aerakictl ro` -> route, and further words from the manifest.
import {execFile} from 'node:child_process'
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, describe, expect, it} from 'vitest'
import {BIN, runCli} from '../support/cli.js'

const run = promisify(execFile)

describe('shell completion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aerakictl-completion-'))
  const shim = join(dir, 'aerakictl')
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(shim, 0o755)
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  /** What bash offers after `words` (the last one being completed), through the generated script. */
  async function bashComplete(...words: string[]): Promise<string[]> {
    const script = `source <(aerakictl completion bash)
COMP_WORDS=(aerakictl ${words.map(w => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}
_aerakictl_complete
printf '%s\\n' "\${COMPREPLY[@]}"`
    const r = await run('bash', ['-c', script], {env: {...process.env, PATH: `${dir}:${process.env.PATH}`}})
    return r.stdout.split('\n').filter(Boolean)
  }

  it('generates scripts for bash, zsh and fish that call back into the CLI', async () => {
    for (const [shell, marker] of [['bash', 'complete -F _aerakictl_complete aerakictl'], ['zsh', 'compdef _aerakictl_complete aerakictl'], ['fish', "complete -c aerakictl -f -a '(_aerakictl_complete)'"]]) {
      const r = await runCli(['completion', shell])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain(marker)
      expect(r.stdout).toContain('aerakictl __complete')
    }
    expect((await runCli(['completion', 'tcsh'])).code).toBe(2)
  })

  it('bash completes aerakictl ro -> route, then subcommands, flags, options and template names', async () => {
    expect(await bashComplete('ro')).toEqual(['route'])
    expect(await bashComplete('route', 'd')).toEqual(['dry-run'])
    expect(await bashComplete('route', 'dry-run', '--temp')).toEqual(['--template'])
    expect(await bashComplete('route', 'dry-run', '--template', 'traffic-')).toEqual(['traffic-mirroring', 'traffic-split'])
    expect(await bashComplete('route', 'dry-run', '-o', '')).toEqual(['json', 'table', 'yaml'])
    expect(await bashComplete('install', 'demo', '')).toEqual(['all', 'dubbo', 'thrift'])
    expect(await bashComplete('templates', 'show', 'method')).toEqual(['method-route'])
  }, 60_000)
})
