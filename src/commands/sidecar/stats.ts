import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import {meshFlags, outputFlag} from '../../lib/mesh/cli.js'
import {InputError} from '../../lib/resources/errors.js'
import {namespaceOf, quietOnBrokenPipe} from '../../lib/sidecar/cli.js'

export default class SidecarStats extends BaseCommand {
  static summary = "A sidecar's Envoy statistics, MetaProtocol counters first, with the observed split per upstream next to the configured one"
  static description = `aerakictl.sh's _sidecar_stats, parsed: /stats/prometheus read as istioctl reads admin pages (port-forward, then pilot-agent, then curl). --match keeps the samples whose name{labels} an RE2 regular expression finds. The requests per upstream subset cluster (envoy_cluster_upstream_rq_total) give the split the proxy really sent, printed next to the split its MetaProtocol routes configure (from its own config dump).

--watch prints the first read at once, then reads again every --interval seconds and prints what changed (and the split of the requests in between); --count stops after that many reads.`

  static exitCodes = {0: 'shown', 2: 'bad flags or --match', 4: 'the cluster or the proxy could not be read', 130: '--watch stopped with Ctrl-C'}

  static examples = [
    '<%= config.bin %> sidecar stats client meta-thrift',
    '<%= config.bin %> sidecar stats client meta-thrift --match "outbound\\|9090"',
    '<%= config.bin %> sidecar stats client meta-thrift --watch --interval 5',
  ]

  static args = {
    app: Args.string({description: 'Pod name, or part of one (e.g. client)', required: true}),
    namespace: Args.string({description: 'Namespace (same as -n)'}),
  }

  static flags = {
    ...meshFlags,
    match: Flags.string({char: 'm', summary: 'RE2 regular expression searched in name{labels} of each sample'}),
    watch: Flags.boolean({char: 'w', summary: 'Read again every --interval seconds and show the changes'}),
    interval: Flags.integer({summary: 'Seconds between reads with --watch', default: 2}),
    count: Flags.integer({summary: 'With --watch: stop after this many reads'}),
    output: outputFlag,
  }

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(SidecarStats)
    const namespace = namespaceOf(args.namespace, flags.namespace) ?? ''
    if (flags.interval < 1) throw new InputError('must be 1 or more', '--interval')
    if (flags.count !== undefined && flags.count < 1) throw new InputError('must be 1 or more', '--count')
    const [{statsReport, statMatcher, parsePrometheus, configuredSplits}, {readAdmin}, {ENVOY_ADMIN, fetchConfigDump}, {extractMetaProtocolRouteTables}, {renderStatsText}, {defaultOutput}] = await Promise.all([
      import('../../lib/mesh/envoy-stats.js'), import('../../lib/mesh/cli.js'), import('../../lib/sidecar/fetch.js'), import('../../lib/dump/route-tables.js'),
      import('../../lib/render/stats-text.js'), import('../../lib/render/default-output.js'),
    ])
    const match = statMatcher(flags.match)
    quietOnBrokenPipe()
    const note = (l: string) => this.note(l)
    let quiet = false
    const read = async () => parsePrometheus((await readAdmin(flags, {app: args.app, namespace, target: ENVOY_ADMIN, path: 'stats/prometheus', showSecrets: flags['show-secrets'], note: quiet ? () => {} : note})).text)
    const dump = await fetchConfigDump({kubeconfig: flags.kubeconfig, context: flags.context, namespace: namespace || undefined, app: args.app, timeoutMs: flags['request-timeout'] * 1000, path: 'config_dump', onNote: () => {}})
    const configured = configuredSplits(extractMetaProtocolRouteTables(dump.dump))
    const format = flags.output ?? defaultOutput(process.stdout)
    let before = await read()
    quiet = true
    if (!flags.watch) {
      const report = statsReport(before, configured, match)
      await this.print(format, report, () => renderStatsText(report, false))
      return report
    }
    const stop = new AbortController()
    let interrupted = false
    process.once('SIGINT', () => { interrupted = true; stop.abort() })
    const reports: unknown[] = []
    // The first read is shown at once (the counters as they are), as watch(1) does; each later one with its changes.
    const show = async (report: ReturnType<typeof statsReport>, first: boolean) => {
      if (this.jsonEnabled()) reports.push({time: new Date().toISOString(), ...report})
      else if (format === 'json') this.out(`${JSON.stringify({time: new Date().toISOString(), ...report})}\n`)
      else await this.print(format, report, () => `--- ${new Date().toISOString()} (${first ? 'first read' : `${flags.interval}s`})\n${renderStatsText(report, !first)}`)
    }
    await show(statsReport(before, configured, match), true)
    for (let n = 1; !stop.signal.aborted && (flags.count === undefined || n < flags.count); n++) {
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, flags.interval * 1000); stop.signal.addEventListener('abort', () => { clearTimeout(t); resolve() }, {once: true}) })
      if (stop.signal.aborted) break
      const now = await read()
      await show(statsReport(now, configured, match, before), false)
      before = now
    }
    return this.done({reads: reports}, interrupted ? ExitCode.INTERRUPTED : ExitCode.OK)
  }
}
