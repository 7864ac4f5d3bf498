// Every example of every command's --help runs as printed and exits 0 (issue 14: "a test runs every --help example
// against the embedded world or the playground and requires exit 0"). The examples come from the oclif manifest, the
// same text `--help` prints (<%= config.bin %> is "aerakictl"). They run against an in-process playground with the
// Thrift and Dubbo demos (KUBECONFIG points at it), in a folder holding the files the examples name, with HOME there
// too (the playground's default kubeconfig under ~/.config/aerakictl).
//
// How one runs:
// - a plain `aerakictl …` line (no pipe, redirection or substitution) is split into words by bash itself, as a user's
//   shell would, and runs in-process through runCli;
// - any other line runs in its shell, `aerakictl` on the PATH being bin/run.js: bash, or the shell a completion
//   example is for (zsh with compinit loaded, as a ~/.zshrc has it; fish without config);
// - a command that serves until stopped (playground, -f/--follow, -w/--watch) must print something (the playground:
//   "Serving until Ctrl-C"), is then stopped with Ctrl-C and must exit 130, the table's "interrupted"; lines of the
//   same command that are not aerakictl (`kubectl get pods -A` against the playground) run while it serves;
// - a command that asks for confirmation (uninstall demo without --yes) runs on a terminal (util-linux `script`)
//   and is answered "y"; an interactive viewer (-i/--interactive) runs there too and is left with "q" once drawn.
// Examples of mutating commands that remove what others use (restart, uninstall) run last.
import {execFile, spawn} from 'node:child_process'
import {chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, ROOT, runCli, type CliResult} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {ExitCode} from '../../src/lib/cli/exit-codes.js'

const run = promisify(execFile)
const BIN_TAG = '<%= config.bin %>'
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
/** Commands that ask for confirmation on a terminal unless --yes. */
const PROMPTS = new Set(['uninstall:demo'])
/** Commands whose examples take away what other examples use: run after all others, in this order. */
const LAST = ['restart', 'uninstall:demo']

const ids = Object.keys(manifest.commands).filter(id => (manifest.commands[id].examples ?? []).length > 0)
const ordered = [...ids.filter(id => !LAST.includes(id)), ...LAST.filter(id => ids.includes(id))]

/** Unquoted shell syntax beyond words: pipes, redirections, substitutions, separators, line breaks. */
function isPlain(example: string): boolean {
  if (!example.startsWith(`${BIN_TAG} `)) return false
  const unquoted = example.slice(BIN_TAG.length).replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '')
  return !/[|<>;&`$()\n]/.test(unquoted)
}

/** Whether the words give a flag of `id` named `name` (long form, --name=value, or its char). */
function hasFlag(id: string, words: string[], ...names: string[]): boolean {
  const flags = manifest.commands[id].flags as Record<string, {char?: string}>
  return words.some(w => {
    if (w.startsWith('--')) return names.includes(w.slice(2).split('=')[0])
    if (/^-[A-Za-z]$/.test(w)) return names.some(n => flags[n]?.char === w[1])
    return false
  })
}

describe('every --help example runs and exits 0', () => {
  let pg: Playground
  let work: string
  let env: Record<string, string | undefined>

  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift', 'dubbo']})
    work = mkdtempSync(join(tmpdir(), 'aerakictl-examples-'))
    mkdirSync(join(work, 'bin'))
    writeFileSync(join(work, 'bin/aerakictl'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
    chmodSync(join(work, 'bin/aerakictl'), 0o755)
    env = {KUBECONFIG: pg.kubeconfig, HOME: work, XDG_CONFIG_HOME: undefined, NO_COLOR: '1'}

    // The files the examples name, from the repository's demo manifests and templates.
    const inWork = async (args: string[], file: string) => {
      const r = await runCli(args, {env, cwd: work})
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      writeFileSync(join(work, file), r.stdout)
    }
    cpSync(join(ROOT, 'templates/demo/thrift'), join(work, 'demo/metaprotocol-thrift'), {recursive: true})
    cpSync(join(ROOT, 'templates/demo/dubbo'), join(work, 'demo/metaprotocol-dubbo'), {recursive: true})
    mkdirSync(join(work, 'metarouters'))
    for (const f of ['metarouter.yaml', 'my-metarouter.yaml', 'new-metarouter.yaml', 'metarouters/method-route.yaml']) await inWork(['templates', 'show', 'method-route', '-o', 'yaml'], f)
    await inWork(['templates', 'show', 'traffic-split', '--set', 'weights=v1:20,v2:80', '-o', 'yaml'], 'traffic-split.yaml')
    const demo = (f: string) => readFileSync(join(ROOT, 'templates/demo/thrift', f), 'utf8')
    writeFileSync(join(work, 'services.yaml'), `${demo('10-thrift-sample.yaml')}\n---\n${demo('20-destinationrule.yaml')}`)
    // The tests file of `route test`'s own here-document example.
    const heredoc = (manifest.commands['route:test'].examples as string[]).map(e => /<<'EOF'\n([\s\S]*?)\nEOF$/.exec(e)?.[1]).find(Boolean)
    expect(heredoc, 'route test has a here-document example').toBeDefined()
    writeFileSync(join(work, 'tests.yaml'), `${heredoc}\n`)
    await inWork(['sidecar-config', 'client', 'meta-thrift', '-o', 'json'], 'dump.json')
    cpSync(join(work, 'dump.json'), join(work, 'client-dump.json'))
  }, 60_000)

  afterAll(async () => {
    await pg?.close()
    if (work) rmSync(work, {recursive: true, force: true})
  })

  const spawnEnv = () => {
    const e: Record<string, string> = {}
    for (const [k, v] of Object.entries({...process.env, PATH: `${join(work, 'bin')}:${process.env.PATH}`, ...env})) if (v !== undefined) e[k] = v
    return e
  }

  /** The words bash makes of a plain example (after the program name). */
  async function words(example: string): Promise<string[]> {
    const r = await run('bash', ['-c', `set -- ${example.slice(BIN_TAG.length + 1)}\nprintf '%s\\0' "$@"`], {cwd: work, env: spawnEnv()})
    return r.stdout.split('\0').slice(0, -1)
  }

  /** The line in its shell, to the end. */
  function inShell(line: string, shell: string): Promise<CliResult> {
    const argv = shell === 'zsh' ? ['-f', '-c', `autoload -Uz compinit && compinit -u -D\n${line}`] : shell === 'fish' ? ['--no-config', '-c', line] : ['-c', line]
    return new Promise(res => {
      execFile(shell, argv, {cwd: work, env: spawnEnv(), maxBuffer: 64 << 20}, (e, stdout, stderr) => {
        res({code: e ? (typeof (e as any).code === 'number' ? (e as any).code : -1) : 0, stdout: String(stdout), stderr: String(stderr)})
      })
    })
  }

  /** A serving line, started in its own process group; resolves once it has printed something. */
  async function serve(line: string) {
    const child = spawn('bash', ['-c', line], {cwd: work, env: spawnEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe']})
    const out = {stdout: '', stderr: '', code: undefined as number | null | undefined}
    child.stdout.on('data', b => (out.stdout += b))
    child.stderr.on('data', b => (out.stderr += b))
    const exited = new Promise<number | null>(res => child.on('exit', code => res((out.code = code))))
    await until(() => out.code !== undefined || out.stdout.includes('\n') || out.stderr.includes('Serving until Ctrl-C'), `${line}: output`, 60_000)
    return {
      out,
      async stop(): Promise<number | null> {
        if (out.code === undefined) process.kill(-child.pid!, 'SIGINT')
        return exited
      },
    }
  }

  /**
   * The line on a terminal (util-linux script; 120x40, as script's own terminal has no size), typing `keys` once
   * its output matches `when`; killed (and failed) if it has not ended a minute later.
   */
  async function onTerminal(line: string, when: RegExp, keys: string): Promise<CliResult> {
    const child = spawn('script', ['-qec', `stty cols 120 rows 40; ${line}`, '/dev/null'], {cwd: work, env: spawnEnv(), stdio: ['pipe', 'pipe', 'pipe'], detached: true})
    let stdout = ''
    let stderr = ''
    let answered = false
    let code: number | null | undefined
    child.stdout.on('data', b => {
      stdout += b
      if (!answered && when.test(stdout)) { answered = true; child.stdin.write(keys) }
    })
    child.stderr.on('data', b => (stderr += b))
    child.on('exit', c => { code = c; child.stdin.destroy() })
    try {
      await until(() => code !== undefined, `${line} ending`, 60_000)
    } catch {
      stderr += `\nstill running a minute later (${answered ? `typed ${JSON.stringify(keys)}` : `never showed ${when}`}); killed`
      process.kill(-child.pid!, 'SIGKILL')
      await until(() => code !== undefined, `${line} ending after SIGKILL`)
    }
    return {code: code ?? -1, stdout, stderr}
  }

  it('finds examples in the manifest, and every command has at least one', () => {
    const visible = Object.keys(manifest.commands).filter(id => !manifest.commands[id].hidden && !['help', 'autocomplete'].includes(id))
    expect(visible.filter(id => !ids.includes(id))).toEqual([])
    expect(ids.flatMap(id => manifest.commands[id].examples).length).toBeGreaterThan(60)
  })

  for (const id of ordered) {
    it(`${id.replaceAll(':', ' ')}: ${(manifest.commands[id].examples as string[]).length} examples`, async () => {
      const failures: string[] = []
      const servers: Array<{line: string; s: Awaited<ReturnType<typeof serve>>}> = []
      const check = (line: string, r: CliResult, want: number = ExitCode.OK) => {
        if (r.code !== want) failures.push(`${line}\n  exit ${r.code} (want ${want}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join('\n  ')}`)
      }
      for (const example of manifest.commands[id].examples as string[]) {
        const line = example.replaceAll(BIN_TAG, 'aerakictl')
        if (isPlain(example)) {
          const argv = await words(example)
          if (id === 'playground' || hasFlag(id, argv, 'follow', 'watch')) {
            servers.push({line, s: await serve(line)})
          } else if (PROMPTS.has(id) && !hasFlag(id, argv, 'yes')) {
            check(line, await onTerminal(line, /\[y\/N\]/, 'y\r'))
          } else if (hasFlag(id, argv, 'interactive')) {
            check(line, await onTerminal(line, /ConfigDump/, 'q'))
          } else {
            check(line, await runCli(argv, {env, cwd: work}))
          }
        } else {
          const shell = /completion (zsh|fish)/.exec(line)?.[1] ?? 'bash'
          check(line, await inShell(line, shell))
        }
      }
      for (const {line, s} of servers) {
        const code = await s.stop()
        if (!s.out.stdout.trim() && !s.out.stderr.includes('Serving until')) failures.push(`${line}\n  printed nothing before Ctrl-C`)
        check(line, {code: code ?? -1, stdout: s.out.stdout, stderr: s.out.stderr}, ExitCode.INTERRUPTED)
      }
      expect(failures).toEqual([])
    }, 180_000)
  }
})
