// Runs the built CLI as a long-lived child (for -f), piped, so a test can wait for output and send SIGINT.
import {spawn} from 'node:child_process'
import {BIN, ROOT} from '../../support/cli.js'
import {until} from '../../support/wait.js'

export interface LiveCli {
  stdout(): string
  stderr(): string
  /** Resolves when `fn` holds on the output so far (polled), or rejects with both streams after `ms`. */
  waitFor(fn: () => boolean, ms?: number): Promise<void>
  interrupt(): void
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
  /**
   * Ctrl-C, then the exit within `ms`: a CLI that does not exit is killed and the call fails with both streams,
   * instead of holding the test until its own timeout with nothing to show.
   */
  interruptAndWait(ms?: number): Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): LiveCli {
  const merged: Record<string, string> = {}
  for (const [k, v] of Object.entries({...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env})) if (v !== undefined) merged[k] = v
  const child = spawn(process.execPath, [BIN, ...args], {cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe']})
  let out = '', err = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c))
  let exit: {code: number | null; signal: NodeJS.Signals | null} | undefined
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('exit', (code, signal) => resolve(exit = {code, signal})))
  return {
    stdout: () => out,
    stderr: () => err,
    async waitFor(fn, ms = 20_000) {
      await until(() => {
        if (fn()) return true
        if (child.exitCode !== null) throw new Error(`the CLI exited (${child.exitCode}); stderr:\n${err}`)
        return false
      }, `condition on the CLI's output; stderr:\n${err}\nstdout (last 500):\n${out.slice(-500)}`, ms).catch((e) => {
        throw child.exitCode !== null ? e : new Error(`condition not met in time; stderr:\n${err}\nstdout (last 500):\n${out.slice(-500)}`)
      })
    },
    interrupt: () => child.kill('SIGINT'),
    exited,
    async interruptAndWait(ms = 30_000) {
      child.kill('SIGINT')
      try {
        return await until(() => exit, 'the CLI to exit after Ctrl-C', ms)
      } catch {
        child.kill('SIGKILL')
        throw new Error(`the CLI did not exit within ${ms} ms of Ctrl-C; stderr:\n${err}\nstdout (last 500):\n${out.slice(-500)}`)
      }
    },
  }
}
