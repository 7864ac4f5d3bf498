import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {kubeFlags, namespaceOf} from '../../lib/sidecar/cli.js'
import {configDumpFlag} from '../../lib/cli/cluster-flags.js'
import {outputFlag} from '../../lib/cli/output.js'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import type {VerifyRun} from '../../lib/verify/run.js'
import {maxInputMbFlag} from '../../lib/cli/input-flags.js'

export default class RouteVerify extends BaseCommand {
  static summary = 'Check that a sidecar holds the MetaProtocol route tables your MetaRouters should produce'

  static description = `Translates the MetaRouters, DestinationRules, Services and ServiceEntries into the route tables Aeraki should push (as route dry-run does), reads the tables the sidecar really has (from the live pod's /config_dump, or --config-dump), and reports each table as:
  in sync    same routes in the same order, field by field
  different  routes differ; each route and field is listed with both values
  stale      different, and the sidecar's copy is older than the last change of its MetaRouter or DestinationRule (the push has not arrived)
  missing    expected, but the sidecar has no table of that name
  extra      in the sidecar, but no object produces it

Objects come from the -f files if given (a lone MetaRouter file is enough: the service port comes from the sidecar's table), else from the cluster (all namespaces). Extra tables fail the check only when the objects come from the cluster, since -f files are usually a part of the mesh.`

  static exitCodes = {0: 'all in sync', 3: 'not in sync', 4: 'the cluster or the sidecar could not be read'}

  static examples = [
    '<%= config.bin %> route verify client meta-thrift',
    '<%= config.bin %> route verify client meta-thrift -f traffic-split.yaml',
    '<%= config.bin %> route verify --config-dump dump.json -f demo/metaprotocol-thrift/',
    '<%= config.bin %> route verify client -n meta-thrift -o json',
  ]

  static args = {
    app: Args.string({description: 'Pod name, or part of one (e.g. client), pod/NAME, or deploy/NAME (svc, sts, ds, rs, job)', ignoreStdin: true}),
    namespace: Args.string({description: 'Namespace (same as -n)', ignoreStdin: true}),
  }

  static flags = {
    'config-dump': configDumpFlag('Read the sidecar\'s tables from a saved config dump instead of the pod (- for stdin)'),
    filename: Flags.string({char: 'f', summary: 'Manifest file or folder (YAML or JSON); - reads stdin. Without it, objects are read from the cluster', multiple: true}),
    'max-input-mb': maxInputMbFlag(),
    output: outputFlag(),
    'show-secrets': Flags.boolean({summary: 'Do not redact credentials (e.g. an authorization request mutation) in the output'}),
    ...kubeFlags,
  }

  async run(): Promise<VerifyDocument> {
    const {args, flags} = await this.parse(RouteVerify)
    const [{runVerify}, {redactForDisplay, redactionNote}] = await Promise.all([import('../../lib/verify/run.js'), import('../../lib/dump/redact.js')])
    const checked = await runVerify({
      app: args.app, namespace: namespaceOf(args.namespace, flags.namespace), dumpFile: flags['config-dump'], files: flags.filename ?? [], maxInputMb: flags['max-input-mb'],
      kubeconfig: flags.kubeconfig, context: flags.context, container: flags.container, timeoutMs: flags['request-timeout'] * 1000,
      onNote: (line) => this.note(line),
    })
    // Compared in full, printed redacted: both sides' values come from dumps, clusters or files and may be credentials.
    const shown = redactForDisplay(checked, flags['show-secrets'])
    const note = redactionNote(shown.redacted)
    if (note) this.note(note)
    const run = shown.value
    const doc: VerifyDocument = {inSync: run.report.inSync, counts: run.report.counts, sidecar: run.sidecar, objects: run.objects, hasMetaProtocolSection: run.hasMetaProtocolSection, warnings: run.warnings, tables: run.report.tables}
    await this.print(flags.output, doc, {table: async color => (await import('../../lib/render/verify-text.js')).renderVerifyText(run, color)})
    return this.done(doc, run.report.inSync ? ExitCode.OK : ExitCode.CHECK_FAILED)
  }
}

export interface VerifyDocument {
  inSync: boolean
  counts: VerifyRun['report']['counts']
  sidecar: VerifyRun['sidecar']
  objects: VerifyRun['objects']
  hasMetaProtocolSection: boolean
  warnings: string[]
  tables: VerifyRun['report']['tables']
}
