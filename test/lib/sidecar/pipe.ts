// `aerakictl ARGS | READER` as the shell runs it: the built binary's stdout is the reader's stdin (not a terminal,
// so the CLI picks its pipe format). For the `| jq .` and `| fx` steps of the tutorial.
import {spawn} from 'node:child_process'
import {BIN, ROOT} from '../../support/cli.js'

export interface PipeResult {
  cliCode: number | null
  cliStderr: string
  readerCode: number | null
  readerStderr: string
  /** What the reader printed. */
  stdout: string
}

/** `env` is added to the test's environment; FORCE_COLOR and NO_COLOR are left out unless given. */
export function pipeInto(args: string[], reader: string[], env: Record<string, string> = {}): Promise<PipeResult> {
  return new Promise((resolve) => {
    const childEnv: Record<string, string | undefined> = {...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...env}
    for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k]
    const cli = spawn(process.execPath, [BIN, ...args], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv})
    const sink = spawn(reader[0], reader.slice(1), {stdio: [cli.stdout, 'pipe', 'pipe']})
    const r: PipeResult = {cliCode: null, cliStderr: '', readerCode: null, readerStderr: '', stdout: ''}
    let pending = 2
    const done = () => { if (--pending === 0) resolve(r) }
    cli.stderr.on('data', (c: Buffer) => { r.cliStderr += c })
    sink.stdout.on('data', (c: Buffer) => { r.stdout += c })
    sink.stderr.on('data', (c: Buffer) => { r.readerStderr += c })
    cli.on('exit', (code) => { r.cliCode = code; done() }) // 'close' waits for a stdout the reader holds
    sink.on('close', (code) => { r.readerCode = code; done() })
  })
}
