import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../lib/cli/base-command.js'
import {clusterFlags} from '../lib/cli/cluster-flags.js'
import {outputFlag} from '../lib/cli/output.js'
import {ExitCode} from '../lib/cli/exit-codes.js'
import type {LogRecord} from '../lib/logs/format.js'
import {CollectedLines} from '../lib/logs/collect.js'
import {preferSmallHeap} from '../lib/cli/small-heap.js'

/** --json: the lines (and the tally) as one document, printed when the command ends. */
export interface AppLogResult {
  lines: LogRecord[]
  tally?: unknown
}


export default class AppLog extends BaseCommand {
  static summary = 'Tail the logs of every pod matching APP (stern-style), and with --tally the server versions that answered next to the configured split'

  static description = `APP is searched in the pod names of the namespace (\`client\` finds thrift-sample-client-…), or pod/NAME, or deploy/NAME (also svc, sts, ds, rs, job: the pods its selector picks); -l selects by labels. -n NS searches another namespace; as in stern, -n may be repeated (-n meta-thrift -n meta-dubbo, or -n meta-thrift,meta-dubbo) and -A searches every namespace; each line then starts with its namespace. The application container is tailed by default (not istio-proxy); --sidecar tails istio-proxy, -c names containers. As in kubectl logs, -f is --follow.

Log lines go to stdout, "+ pod › container" / "- pod › container" events and notes to stderr. A dropped stream is reopened and resumes after the last line it delivered. --tally counts which server version answered the demo client ("response from <pod>/<ip>") and tests the counts against the split the MetaRouters configure.

-o table prefixes each line with its pod, raw prints the message only, json one object per line, yaml one document per line; --json prints one document with every line (and the tally) when the command ends.`

  static exitCodes = {0: 'done', 4: 'cluster errors (RBAC, no such pod or container)', 130: 'stopped with Ctrl-C (also the normal end of -f)'}

  static examples = [
    '<%= config.bin %> app-log client meta-thrift -f --tail 10',
    '<%= config.bin %> app-log client meta-thrift -f --tally',
    '<%= config.bin %> app-log server meta-thrift --since 10m --include sayHello',
    '<%= config.bin %> app-log -l app=thrift-sample-server -n meta-thrift --sidecar -o json',
    '<%= config.bin %> app-log server -A --tail 1',
    '<%= config.bin %> app-log -n meta-thrift -n meta-dubbo --sidecar -l app --tail 5',
  ]

  static args = {
    app: Args.string({description: 'A pod name or part of pod names (as aerakictl.sh greps them), pod/NAME, or deploy/NAME (svc, sts, ds, rs, job)', required: false}),
    namespace: Args.string({description: 'Namespace (same as -n)', required: false}),
  }

  static flags = {
    ...clusterFlags,
    // stern's namespace flags: -n repeatable (or a,b), -A for every namespace; lines then carry their namespace.
    namespace: Flags.string({char: 'n', summary: 'Namespace (default: the context\'s); repeat or comma-separate for several, as in stern', multiple: true, multipleNonGreedy: true}),
    'all-namespaces': Flags.boolean({char: 'A', summary: 'Tail matching pods in every namespace (as stern -A)'}),
    follow: Flags.boolean({char: 'f', summary: 'Keep streaming; pick up pods that appear, close those that go away'}),
    tail: Flags.integer({summary: 'Lines of recent log per container to start with (-1: all)'}),
    since: Flags.string({summary: 'Only lines newer than a duration, e.g. 30s, 10m, 1h'}),
    'since-time': Flags.string({summary: 'Only lines after an RFC3339 time'}),
    container: Flags.string({char: 'c', summary: 'Container name (repeat or comma-separate for several)', multiple: true}),
    selector: Flags.string({char: 'l', summary: 'Label selector, e.g. app=thrift-sample-server'}),
    timestamps: Flags.boolean({char: 't', summary: 'Print the server timestamp of each line'}),
    include: Flags.string({char: 'i', summary: 'Only lines whose message matches this regular expression (repeatable)', multiple: true}),
    exclude: Flags.string({char: 'e', summary: 'Drop lines whose message matches this regular expression (repeatable)', multiple: true}),
    output: outputFlag({summary: 'table: pod prefix; raw: the message only; json: one object per line; yaml: one document per line', extra: ['raw']}),
    'max-log-requests': Flags.integer({summary: 'Concurrent log streams at most (default 50 with -f, else 5)'}),
    tally: Flags.boolean({summary: 'Count the server versions that answered, next to the configured split'}),
    sidecar: Flags.boolean({summary: 'Tail the istio-proxy container'}),
  }

  async run(): Promise<AppLogResult> {
    const {args, flags} = await this.parse(AppLog)
    if (flags.follow) preferSmallHeap()
    const [{connect}, {buildOptions}, {AppLogSession}, {Output}, {wantsColor}, {onInterrupt}] = await Promise.all([
      import('../lib/cluster/connect.js'), import('../lib/logs/cli-options.js'), import('../lib/logs/session.js'),
      import('../lib/logs/output.js'), import('../lib/render/style.js'), import('../lib/cli/interrupt.js'),
    ])
    // A closed pipe (| head) ends the command quietly; Ctrl-C also gives up requests in flight (a hung API).
    const interrupt = onInterrupt({stopOnClosedPipe: true})
    let conn: Awaited<ReturnType<typeof connect>> | undefined
    let options: ReturnType<typeof buildOptions>
    try {
      conn = await connect({kubeconfig: flags.kubeconfig, context: flags.context, requestTimeout: flags['request-timeout'], namespace: flags.namespace?.length === 1 ? flags.namespace[0] : undefined, signal: interrupt.signal})
      options = buildOptions({
        app: args.app, namespaceArg: args.namespace, namespaceFlags: flags.namespace, allNamespaces: flags['all-namespaces'], contextNamespace: conn.namespace,
        selector: flags.selector, container: flags.container, sidecar: flags.sidecar, follow: flags.follow, tail: flags.tail,
        since: flags.since, sinceTime: flags['since-time'], timestamps: flags.timestamps, include: flags.include, exclude: flags.exclude,
        output: this.jsonEnabled() ? 'json' : flags.output, maxLogRequests: flags['max-log-requests'], tally: flags.tally,
      }, {color: wantsColor(process.stdout), stdoutIsTTY: Boolean(process.stdout.isTTY)})
    } catch (e) {
      interrupt.dispose()
      conn?.close()
      throw e
    }
    const collected = this.jsonEnabled() ? new CollectedLines() : undefined
    const out = new Output(collected ?? process.stdout, process.stderr, options.footer)
    const doc: AppLogResult = {lines: collected?.lines ?? []}
    let exitCode: number = ExitCode.OK
    try {
      const result = await new AppLogSession(conn, options, out).run(interrupt.signal)
      exitCode = result.exitCode
      if (result.tally) {
        const {tallyText, tallyJson} = await import('../lib/logs/tally/render.js')
        process.stderr.write(tallyText(result.tally))
        if (collected) doc.tally = JSON.parse(tallyJson(result.tally)).tally
        else if (options.output === 'json' && !process.stdout.writableEnded) await new Promise<void>((resolve) => process.stdout.write(tallyJson(result.tally!), () => resolve()))
      }
    } finally {
      interrupt.dispose()
      conn!.close()
    }
    if (collected) this.logJson(doc)
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()))
    // Exits now even for 0 (the document is printed): client-node keeps pooled sockets open, nothing is left to do.
    this.exit(exitCode === ExitCode.OK && interrupt.interrupted ? ExitCode.INTERRUPTED : exitCode)
    return doc
  }
}
