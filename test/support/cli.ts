// Runs the CLI as a user would and returns exit code, stdout and stderr.
//
// runCli: in the test process. oclif's Config is read from the repository root (dist/commands and the manifest, built
// by test/support/global-setup.ts; the first load per worker costs ~250 ms, later ones ~5 ms since the command modules
// stay imported) for every call, because oclif's help path leaves the shared Config unable to find commands
// afterwards. Each call runs the command through oclif's `run`, as bin/run.js does, with
// process.stdout/stderr/stdin, console, argv, env and process.exit swapped for the duration of the call. Calls are
// serialised within a worker (the process streams are global), so a test must not wait inside one runCli for another
// runCli to finish: a second live CLI (app-log -f while apply runs) goes through spawnCli / runBin.
//
// runBin: the real binary (`node bin/run.js`), piped, for the smoke tests that prove the shipped entry point.
import {execFile} from 'node:child_process'
import {dirname, resolve} from 'node:path'
import {Readable, Writable} from 'node:stream'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {format, promisify} from 'node:util'
import type {Config} from '@oclif/core/config'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = resolve(ROOT, 'bin/run.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export interface CliOptions {
  /** Variables set (a string) or removed (undefined) for the call; NO_COLOR and FORCE_COLOR are unset unless given. */
  env?: Record<string, string | undefined>
  /** What the command reads on stdin (stdin is empty and not a terminal otherwise). */
  input?: string
  cwd?: string
  /**
   * runBin only: file permissions apply as they would to a user, also when the tests run as root (as in CI): the
   * binary runs under util-linux `setpriv` with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH out of its bounding set.
   */
  filePermissions?: boolean
  /** runBin only: a bound for a command that could hang; it is then killed (SIGKILL: a busy loop runs no handler). */
  killAfterMs?: number
}

let queue: Promise<unknown> = Promise.resolve()

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const result = queue.then(() => runInProcess(args, opts))
  queue = result.catch(() => undefined)
  return result
}

/** A sink that looks like a piped stdout/stderr (no isTTY, no columns) and keeps what was written. */
class Capture extends Writable {
  text = ''
  constructor() {
    super({decodeStrings: false})
  }
  _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    cb()
  }
}

async function runInProcess(args: string[], opts: CliOptions): Promise<CliResult> {
  const [{Config}, {run}, {ExitError}] = await Promise.all([import('@oclif/core/config'), import('@oclif/core/run'), import('@oclif/core/errors')])
  const cfg: Config = await Config.load(ROOT)

  const out = new Capture()
  const err = new Capture()
  const stdin = Readable.from(opts.input === undefined ? [] : [Buffer.from(opts.input)])

  // Environment as bin/run.js sees it: the test's env, minus colour overrides, plus opts.env; NO_COLOR wins over FORCE_COLOR.
  const savedEnv = {...process.env}
  const env: Record<string, string | undefined> = {NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env}
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0'

  const streams = ['stdout', 'stderr', 'stdin'] as const
  const savedStreams = streams.map(s => Object.getOwnPropertyDescriptor(process, s)!)
  const fake = {stdout: out, stderr: err, stdin}
  for (const s of streams) Object.defineProperty(process, s, {configurable: true, enumerable: true, get: () => fake[s]})

  const consoleMethods = ['log', 'info', 'debug', 'error', 'warn'] as const
  const savedConsole = consoleMethods.map(m => console[m])
  for (const m of consoleMethods) {
    const sink = m === 'error' || m === 'warn' ? err : out
    console[m] = (...a: unknown[]) => { sink.write(format(...a) + '\n') }
  }

  const savedExit = process.exit
  process.exit = ((code?: number | string | null) => { throw new ExitError(Number(code ?? process.exitCode ?? 0)) }) as typeof process.exit
  const savedExitCode = process.exitCode
  process.exitCode = undefined
  const savedArgv = process.argv
  process.argv = [process.execPath, BIN, ...args]
  const savedCwd = process.cwd()
  if (opts.cwd) process.chdir(opts.cwd)

  let code: number
  try {
    await run(args, cfg)
    code = Number(process.exitCode ?? 0)
  } catch (error: any) {
    code = await handle(error)
  } finally {
    if (opts.cwd) process.chdir(savedCwd)
    process.argv = savedArgv
    process.exitCode = savedExitCode
    process.exit = savedExit
    consoleMethods.forEach((m, i) => { console[m] = savedConsole[i] as any })
    streams.forEach((s, i) => Object.defineProperty(process, s, savedStreams[i]))
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k]
    Object.assign(process.env, savedEnv)
  }
  return {code, stdout: out.text, stderr: err.text}

  // What oclif's handle() does for bin/run.js, writing to the captured stderr and returning the exit code instead
  // of exiting: ExitError (this.exit, process.exit) carries its code silently; anything else is printed.
  async function handle(e: any): Promise<number> {
    if (e instanceof ExitError || e?.code === 'EEXIT') return Number(e.oclif?.exit ?? 0)
    const {default: prettyPrint} = await import(resolve(ROOT, 'node_modules/@oclif/core/lib/errors/errors/pretty-print.js')) as any
    err.write(`${prettyPrint(e) ?? e?.stack ?? String(e)}\n`)
    return Number(e?.oclif?.exit ?? 1)
  }
}

/** The real binary, piped: same options and result as runCli. */
export function runBin(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return new Promise(res => {
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries({...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env})) if (v !== undefined) env[k] = v
    const argv = [process.execPath, BIN, ...args]
    if (opts.filePermissions && process.getuid?.() === 0) argv.unshift('setpriv', '--bounding-set=-dac_override,-dac_read_search')
    const child = execFile(argv[0], argv.slice(1), {env, cwd: opts.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024, timeout: opts.killAfterMs ?? 0, killSignal: 'SIGKILL'}, (e, stdout, stderr) => {
      const code = e ? (typeof (e as any).code === 'number' ? (e as any).code : 1) : 0
      res({code, stdout: String(stdout), stderr: String(stderr) + ((e as any)?.killed ? `\n(killed after ${opts.killAfterMs} ms)` : '')})
    })
    if (opts.input !== undefined) child.stdin?.end(opts.input)
    else child.stdin?.end()
  })
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*[A-Za-z]/

/** A built module (`dist/…`) as the quoted URL an ES module script imports it by. */
export function distImport(path: string): string {
  return JSON.stringify(pathToFileURL(resolve(ROOT, 'dist', path)).href)
}

/**
 * An ES module script run by a Node process of its own (with `nodeArgs` before it), from the repository root: for
 * what a test worker must not share (a smaller stack, its peak memory, ink's exit hooks). Fails on a non-zero exit.
 */
export function runModuleScript(script: string, opts: {nodeArgs?: string[]; env?: NodeJS.ProcessEnv; timeout?: number} = {}): Promise<{stdout: string; stderr: string}> {
  return promisify(execFile)(process.execPath, [...(opts.nodeArgs ?? []), '--input-type=module', '-e', script], {cwd: ROOT, env: opts.env, timeout: opts.timeout, maxBuffer: 64 * 1024 * 1024})
}
