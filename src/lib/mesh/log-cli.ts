// The flags and the run of the component log commands (istiod log, aeraki log, gateway log, sidecar log), so each
// command file only says which component it tails.
import * as Flags from '@oclif/core/flags'
import {clusterFlags} from '../cli/cluster-flags.js'
import {outputFlag} from '../cli/output.js'
import {ExitCode} from '../cli/exit-codes.js'
import {CollectedLines} from '../logs/collect.js'
import {preferSmallHeap} from '../cli/small-heap.js'
import type {LogRecord} from '../logs/format.js'

/** The --json document of a log command: the lines (or, with --dump, the file they went to). */
export interface LogResult {
  lines: LogRecord[]
  file?: string
}

/** What the log commands say about exit codes in --help. */
export const LOG_EXIT_CODES = {0: 'done', 4: 'cluster errors (RBAC, no such pod or container)', 130: 'stopped with Ctrl-C (also the normal end of -f)'}

export const logFlags = {
  ...clusterFlags,
  follow: Flags.boolean({char: 'f', summary: 'Keep streaming; pick up replicas that appear'}),
  tail: Flags.integer({summary: 'Lines of recent log per replica to start with (-1: all)'}),
  since: Flags.string({summary: 'Only lines newer than a duration, e.g. 30s, 10m, 1h'}),
  timestamps: Flags.boolean({char: 't', summary: 'Print the server timestamp of each line'}),
  include: Flags.string({char: 'i', summary: 'Only lines whose message matches this regular expression (repeatable)', multiple: true}),
  exclude: Flags.string({char: 'e', summary: 'Drop lines whose message matches this regular expression (repeatable)', multiple: true}),
  output: outputFlag({summary: 'table: pod prefix; raw: the message only; json: one object per line; yaml: one document per line', extra: ['raw']}),
  dump: Flags.boolean({summary: 'Write the lines to a timestamped file in the current folder (e.g. istiod-20260102T150405Z.log) instead of stdout'}),
}

export interface LogFlagValues {
  kubeconfig?: string
  context?: string
  'request-timeout'?: number
  namespace?: string
  follow: boolean
  tail?: number
  since?: string
  timestamps: boolean
  include?: string[]
  exclude?: string[]
  output: string
  dump: boolean
}

/** Tails `container` of the pods matching `app` in `namespace`; returns the exit code and the --json document. */
export async function runLogCli(flags: LogFlagValues, target: {app: string; namespace: string; container: string}, json = false): Promise<{exitCode: number; result: LogResult}> {
  if (flags.follow) preferSmallHeap()
  const [{connect}, {runComponentLog}, {wantsColor}, {onInterrupt}] = await Promise.all([import('../cluster/connect.js'), import('./logs.js'), import('../render/style.js'), import('../cli/interrupt.js')])
  const conn = await connect({kubeconfig: flags.kubeconfig, context: flags.context, namespace: target.namespace || undefined, requestTimeout: flags['request-timeout']})
  const interrupt = onInterrupt({stopOnClosedPipe: true})
  const collected = json && !flags.dump ? new CollectedLines() : undefined
  try {
    const r = await runComponentLog(conn, {
      ...target, follow: flags.follow, tail: flags.tail, since: flags.since, timestamps: flags.timestamps, include: flags.include, exclude: flags.exclude,
      output: collected ? 'json' : flags.output, dumpDir: flags.dump ? process.cwd() : undefined, color: wantsColor(process.stdout),
    }, interrupt.signal, collected ?? process.stdout, process.stderr)
    if (r.file) process.stderr.write(`Wrote ${r.file}\n`)
    const exitCode = r.exitCode === ExitCode.OK && interrupt.interrupted ? ExitCode.INTERRUPTED : r.exitCode
    return {exitCode, result: {lines: collected?.lines ?? [], ...(r.file ? {file: r.file} : {})}}
  } finally {
    interrupt.dispose()
    conn.close()
  }
}
