// `istiod log`, `aeraki log`, `gateway log`, `sidecar log`: the app-log engine (src/lib/logs) pointed at one
// component's container, every replica at once, with -f/--tail/--since; --dump writes the lines to a file named
// after the component and the time (aerakictl.sh's _istiod_log_dump wrote "istiod-<date>.log") instead of stdout.
import {createWriteStream} from 'node:fs'
import {join} from 'node:path'
import type {ClusterConnection} from '../cluster/connect.js'
import {buildOptions} from '../logs/cli-options.js'
import {Output, type OutStream} from '../logs/output.js'
import {AppLogSession} from '../logs/session.js'

export interface ComponentLogRequest {
  app: string
  namespace: string
  container: string
  follow?: boolean
  tail?: number
  since?: string
  timestamps?: boolean
  include?: string[]
  exclude?: string[]
  output?: string
  /** Folder to write a timestamped file in, instead of stdout. */
  dumpDir?: string
  color: boolean
}

export function dumpFileName(app: string, now = new Date()): string {
  return `${app}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')}.log`
}

export async function runComponentLog(conn: ClusterConnection, r: ComponentLogRequest, signal: AbortSignal, stdout: OutStream, stderr: OutStream): Promise<{exitCode: number; file?: string}> {
  const options = buildOptions({
    app: r.app, namespaceFlag: r.namespace || undefined, contextNamespace: conn.namespace, container: [r.container], follow: r.follow, tail: r.tail, since: r.since,
    timestamps: r.timestamps, include: r.include, exclude: r.exclude, output: r.output,
  }, {color: r.color && !r.dumpDir, stdoutIsTTY: Boolean(stdout.isTTY) && !r.dumpDir})
  let file: string | undefined
  let sink: OutStream = stdout
  let closeSink = async () => {}
  if (r.dumpDir) {
    file = join(r.dumpDir, dumpFileName(r.app))
    const stream = createWriteStream(file, {flags: 'wx'})
    await new Promise<void>((resolve, reject) => { stream.once('open', () => resolve()); stream.once('error', reject) })
    sink = stream
    closeSink = () => new Promise<void>((resolve) => stream.end(() => resolve()))
  }
  const out = new Output(sink, stderr, false)
  try {
    const result = await new AppLogSession(conn, options, out).run(signal)
    return {exitCode: result.exitCode, file}
  } finally {
    await closeSink()
  }
}
