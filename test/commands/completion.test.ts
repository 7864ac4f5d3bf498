// Shell completion: the scripts for bash, zsh and fish are generated, parse in their shell (bash -n, zsh -n,
// fish --no-execute), and each shell completes through the real binary (`aerakictl` on the PATH is bin/run.js):
// `aerakictl ro` -> route. Each shell sources the script the CLI printed (written to a file once); bash calls the
// function `complete -p` registered, with COMP_WORDS/COMP_CWORD as readline sets them; fish runs its own completion
// engine (`complete -C`); zsh calls the function compinit registered, with compadd replaced by a printer (zsh's
// completion widgets need a terminal line editor; compinit keeps its dump file, as in a user's shell). zsh and fish
// are installed by .ci/run; a missing shell fails here.
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

  const env = {...process.env, PATH: `${dir}:${process.env.PATH}`}
  const lines = (text: string) => text.split('\n').filter(Boolean)

  /**
   * The script `aerakictl completion SHELL` prints, written to a file once: the shells source that file, and every
   * completion still calls back into the real binary (`aerakictl __complete`, the shim on the PATH).
   */
  const scripts = new Map<string, Promise<string>>()
  function scriptFile(shell: 'bash' | 'zsh' | 'fish'): Promise<string> {
    if (!scripts.has(shell)) {
      scripts.set(shell, runCli(['completion', shell]).then(r => {
        expect(r.code, r.stderr).toBe(0)
        const file = join(dir, `aerakictl.${shell}`)
        writeFileSync(file, r.stdout)
        return file
      }))
    }
    return scripts.get(shell)!
  }

  /** What bash offers after `words` (the last one being completed), through the function the script registered. */
  async function bashComplete(...words: string[]): Promise<string[]> {
    const script = `source ${await scriptFile('bash')}
fn=$(complete -p aerakictl | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p'); [ -n "$fn" ] || exit 9
COMP_WORDS=(aerakictl ${words.map(w => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}
"$fn"
printf '%s\\n' "\${COMPREPLY[@]}"`
    const r = await run('bash', ['-c', script], {env})
    return lines(r.stdout)
  }

  /** What fish's own completion engine offers for the command line `line`. */
  async function fishComplete(line: string): Promise<string[]> {
    const r = await run('fish', ['--no-config', '-c', `source ${await scriptFile('fish')}; complete -C${JSON.stringify(line)}`], {env})
    return lines(r.stdout).map(l => l.split('\t')[0])
  }

  /** What zsh offers after `words`, through the function compinit registered for aerakictl. */
  async function zshComplete(...words: string[]): Promise<string[]> {
    const script = `autoload -Uz compinit && compinit -u -d ${join(dir, 'zcompdump')}
source ${await scriptFile('zsh')}
fn=\${_comps[aerakictl]}; [[ -n $fn ]] || exit 9
compadd() { print -rl -- "\${@[2,-1]}" }
words=(aerakictl ${words.map(w => `'${w}'`).join(' ')}); CURRENT=${words.length + 1}
$fn`
    const r = await run('zsh', ['-f', '-c', script], {env})
    return lines(r.stdout)
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

  it('each script parses in its own shell', async () => {
    for (const [shell, check] of [['bash', ['-n']], ['zsh', ['-n']], ['fish', ['--no-execute']]] as const) {
      const file = join(dir, `completion.${shell}`)
      writeFileSync(file, (await runCli(['completion', shell])).stdout)
      // Non-zero exit (a parse error) rejects with the shell's message.
      const r = await run(shell, [...check, file], {env})
      expect(r.stderr, shell).toBe('')
    }
    // The check can fail: an unbalanced script is refused by each shell.
    for (const [shell, check, bad] of [['bash', '-n', 'f() {'], ['zsh', '-n', 'f() {'], ['fish', '--no-execute', 'function f']] as const) {
      writeFileSync(join(dir, 'bad'), `${bad}\n`)
      await expect(run(shell, [check, join(dir, 'bad')], {env})).rejects.toThrow()
    }
  }, 60_000)

  it('fish completes aerakictl ro -> route and template names with its own engine', async () => {
    expect(await fishComplete('aerakictl ro')).toEqual(['route'])
    expect(await fishComplete('aerakictl route dry-run --template traffic-')).toEqual(['traffic-mirroring', 'traffic-split'])
  }, 60_000)

  it('zsh completes aerakictl ro -> route through the function compinit registered', async () => {
    expect(await zshComplete('ro')).toEqual(['route'])
    expect(await zshComplete('install', 'demo', '')).toEqual(['all', 'dubbo', 'thrift'])
  }, 60_000)

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
