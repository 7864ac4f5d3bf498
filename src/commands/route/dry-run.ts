import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {fromClusterFlags, fromClusterOption} from '../../lib/cli/cluster-flags.js'
import {outputFlag} from '../../lib/cli/output.js'
import {regexProgramLimitFlag} from '../../lib/cli/regex-flag.js'
import {redactForDisplay, redactionNote} from '../../lib/dump/redact.js'
import {dryRunDocument, runDryRun} from '../../lib/dryrun/run.js'
import {maxInputMbFlag} from '../../lib/cli/input-flags.js'

export default class RouteDryRun extends BaseCommand {
  static summary = 'Predict which MetaRouter route and cluster (subset) a request hits, exactly as the MetaProtocol proxy would'

  static description = `Without -f it runs on an embedded world: the Aeraki Thrift demo (and the Dubbo demo with --host dubbo). --template adds a built-in MetaRouter (method-route, traffic-split, …); -f reads Kubernetes YAML/JSON files or folders (- for stdin).`

  static exitCodes = {0: 'a prediction was made (RouteNotFound and rejected configs are predictions)'}

  static examples = [
    '<%= config.bin %> route dry-run',
    '<%= config.bin %> route dry-run --template method-route',
    '<%= config.bin %> route dry-run --template traffic-split --random-value 19',
    '<%= config.bin %> route dry-run --template traffic-split --samples 10000 --seed 7',
    '<%= config.bin %> route dry-run --host dubbo --template local-ratelimit --sequence 10',
    '<%= config.bin %> route dry-run -f metarouter.yaml -f demo/metaprotocol-thrift/ --host thrift-sample-server --attr method=sayHello -o json',
    '<%= config.bin %> route dry-run --from-cluster -f new-metarouter.yaml --host thrift-sample-server   # what if it were applied',
    '<%= config.bin %> route dry-run --config-dump client-dump.json --random-value 19',
    '<%= config.bin %> route dry-run --pod client -n meta-thrift --samples 10000',
  ]

  static flags = {
    filename: Flags.string({char: 'f', summary: 'Manifest file or folder (YAML or JSON, multi-document); - reads stdin', multiple: true}),
    'max-input-mb': maxInputMbFlag(),
    host: Flags.string({summary: 'Service host: a short name (thrift-sample-server, demoservice) or an FQDN'}),
    port: Flags.integer({summary: 'Service port; may be left out when the host has one MetaProtocol port'}),
    attr: Flags.string({summary: 'Request attribute KEY=VALUE, in codec order; repeat it (last write wins)', multiple: true}),
    'random-value': Flags.string({summary: 'The proxy\'s per-request unsigned 64-bit random value, to pick a weighted cluster exactly'}),
    samples: Flags.integer({summary: 'Draw N random values and count the clusters picked, next to the exact shares'}),
    seed: Flags.string({summary: 'Seed for --samples (number or text)', default: '0'}),
    sequence: Flags.integer({summary: 'Send N identical requests back to back through the server\'s rate limiters'}),
    'client-namespace': Flags.string({summary: 'Namespace of the calling pod (decides whether it gets the MetaProtocol proxy, see exportTo)'}),
    template: Flags.string({summary: 'Add a built-in template (aerakictl templates list): method-route, traffic-split, …'}),
    set: Flags.string({summary: 'Template parameter KEY=VALUE (e.g. weights=v1:50,v2:50)', multiple: true, dependsOn: ['template']}),
    output: outputFlag(),
    'show-secrets': Flags.boolean({summary: 'Do not redact credentials (e.g. an authorization request mutation) in the output'}),
    'config-dump': Flags.string({summary: 'Predict from the route tables in a saved Envoy config dump (- for stdin) instead of from CRDs'}),
    pod: Flags.string({summary: 'Predict from the config dump of this pod\'s sidecar (app name such as client, or a pod name)'}),
    'regex-program-limit': regexProgramLimitFlag(),
    namespace: Flags.string({char: 'n', summary: 'Namespace for -f objects without one (as kubectl apply -n; default: default), and of --pod (default: the context\'s namespace)'}),
    recursive: Flags.boolean({char: 'R', summary: 'Read the sub-folders of -f folders too (as kubectl -R)'}),
    'no-attrs': Flags.boolean({summary: 'Send the request without any attributes (no demo client default)'}),
    'server-pods': Flags.integer({summary: 'Server pods sharing the requests: each has its own local rate-limit buckets (default: counted from the Pods/Deployments among the inputs)'}),
    ...fromClusterFlags('Read MetaRouters, DestinationRules, Services and ServiceEntries from the cluster (-f files are applied on top: a what-if)', '--pod'),
  }

  async run(): Promise<Record<string, unknown>> {
    const {flags} = await this.parse(RouteDryRun)
    const result = await runDryRun({
      files: flags.filename ?? [], maxInputMb: flags['max-input-mb'],
      host: flags.host,
      port: flags.port,
      attr: flags.attr ?? [],
      randomValue: flags['random-value'],
      samples: flags.samples,
      seed: flags.seed,
      sequence: flags.sequence,
      clientNamespace: flags['client-namespace'],
      template: flags.template,
      set: flags.set ?? [],
      configDump: flags['config-dump'],
      ...(flags.pod ? {pod: {app: flags.pod, namespace: flags.namespace, kubeconfig: flags.kubeconfig, context: flags.context, timeoutMs: flags['request-timeout'] * 1000}} : {}),
      onNote: line => this.note(line),
      regexProgramLimit: flags['regex-program-limit'],
      namespace: flags.namespace,
      recursive: flags.recursive,
      noAttrs: flags['no-attrs'],
      serverPods: flags['server-pods'],
      ...fromClusterOption(flags),
    })
    // Mutations and matchers come from dumps and clusters and may carry credentials: redacted like sidecar-config.
    const shown = redactForDisplay(result, flags['show-secrets'])
    const note = redactionNote(shown.redacted)
    if (note) this.note(note)
    const doc = dryRunDocument(shown.value)
    await this.print(flags.output, doc, {table: async color => (await import('../../lib/render/dryrun-text.js')).renderDryRunText(shown.value, color)})
    return doc
  }
}
