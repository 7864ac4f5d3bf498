// The flags and the run of the component log commands (istiod log, aeraki log, gateway log, sidecar log), so each
// command file only says which component it tails.
import * as Flags from '@oclif/core/flags'
import {clusterFlags} from '../cli/cluster-flags.js'

export const logFlags = {
  ...clusterFlags,
  follow: Flags.boolean({char: 'f', summary: 'Keep streaming; pick up replicas that appear'}),
  tail: Flags.integer({summary: 'Lines of recent log per replica to start with (-1: all)'}),
  since: Flags.string({summary: 'Only lines newer than a duration, e.g. 30s, 10m, 1h'}),
  timestamps: Flags.boolean({char: 't', summary: 'Print the server timestamp of each line'}),
  include: Flags.string({char: 'i', summary: 'Only lines whose message matches this regular expression (repeatable)', multiple: true}),
  exclude: Flags.string({char: 'e', summary: 'Drop lines whose message matches this regular expression (repeatable)', multiple: true}),
  output: Flags.string({char: 'o', summary: 'text: pod prefix; raw: the message only; json: one object per line', options: ['text', 'raw', 'json'], default: 'text'}),
  dump: Flags.boolean({summary: 'Write the lines to a timestamped file in the current folder (e.g. istiod-20260102T150405Z.log) instead of stdout'}),
}

export interface LogFlagValues {
  kubeconfig?: string
  context?: string
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

/** Tails `container` of the pods matching `app` in `namespace`; returns the exit code. */
export async function runLogCli(flags: LogFlagValues, target: {app: string; namespace: string; container: string}): Promise<number> {
  const [{connect}, {runComponentLog}, {wantsColor}] = await Promise.all([import('../cluster/connect.js'), import('./logs.js'), import('../render/style.js')])
  const conn = await connect({kubeconfig: flags.kubeconfig, context: flags.context, namespace: target.namespace || undefined})
  const stop = new AbortController()
  const onSignal = () => (stop.signal.aborted ? process.exit(130) : stop.abort())
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') stop.abort() })
  try {
    const r = await runComponentLog(conn, {
      ...target, follow: flags.follow, tail: flags.tail, since: flags.since, timestamps: flags.timestamps, include: flags.include, exclude: flags.exclude,
      output: flags.output, dumpDir: flags.dump ? process.cwd() : undefined, color: wantsColor(process.stdout),
    }, stop.signal, process.stdout, process.stderr)
    if (r.file) process.stderr.write(`Wrote ${r.file}\n`)
    return r.exitCode
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    conn.close()
  }
}
