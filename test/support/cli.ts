// Runs the built CLI (bin/run.js -> dist/) as a user would, piped, and returns exit code, stdout and stderr.
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = resolve(ROOT, 'bin/run.js')
export const BUILT = existsSync(resolve(ROOT, 'dist/commands'))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export function runCli(args: string[], opts: {env?: Record<string, string | undefined>; input?: string; cwd?: string} = {}): Promise<CliResult> {
  return new Promise(res => {
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries({...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env})) if (v !== undefined) env[k] = v
    const child = execFile(process.execPath, [BIN, ...args], {env, cwd: opts.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024}, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0
      res({code, stdout: String(stdout), stderr: String(stderr)})
    })
    if (opts.input !== undefined) child.stdin?.end(opts.input)
    else child.stdin?.end()
  })
}

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*[A-Za-z]/
