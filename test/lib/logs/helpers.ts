// Runs an app-log session in-process against the emulator, with captured stdout and stderr.
import {connect} from '../../../src/lib/cluster/connect.js'
import type {AppLogOptions} from '../../../src/lib/logs/options.js'
import {Output, type OutStream} from '../../../src/lib/logs/output.js'
import {AppLogSession, type SessionResult} from '../../../src/lib/logs/session.js'

export class Captured implements OutStream {
  text = ''
  isTTY = false
  write(chunk: string): boolean {
    this.text += chunk
    return true
  }
  once(): this {
    return this
  }
  lines(): string[] {
    return this.text.split('\n').filter(Boolean)
  }
}

export interface RunningSession {
  stdout: Captured
  stderr: Captured
  stop(): void
  done: Promise<SessionResult>
}

export function baseOptions(over: Partial<AppLogOptions>): AppLogOptions {
  return {
    namespace: 'default', containers: {kind: 'app'}, follow: false, timestamps: false, include: [], exclude: [], output: 'text',
    maxLogRequests: 5, tally: false, color: false, footer: false, ...over,
  }
}

export async function startSession(kubeconfig: string, over: Partial<AppLogOptions>): Promise<RunningSession> {
  const conn = await connect({kubeconfig})
  const stdout = new Captured(), stderr = new Captured()
  const abort = new AbortController()
  const done = new AppLogSession(conn, baseOptions(over), new Output(stdout, stderr)).run(abort.signal).finally(() => conn.close())
  return {stdout, stderr, stop: () => abort.abort(), done}
}

export async function runSession(kubeconfig: string, over: Partial<AppLogOptions>) {
  const s = await startSession(kubeconfig, over)
  const result = await s.done
  return {stdout: s.stdout, stderr: s.stderr, result}
}
