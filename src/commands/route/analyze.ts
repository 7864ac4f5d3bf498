import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {fromClusterFlags, fromClusterOption} from '../../lib/cli/cluster-flags.js'
import {outputFlag} from '../../lib/cli/output.js'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import {runAnalyze, type AnalyzeRun} from '../../lib/analyze/run.js'
import {regexProgramLimitFlag} from '../../lib/cli/regex-flag.js'
import {maxInputMbFlag} from '../../lib/cli/input-flags.js'

export default class RouteAnalyze extends BaseCommand {
  static summary = 'Check MetaRouters, DestinationRules and Services for mistakes Aeraki\'s webhook lets through'

  static description = `Runs the CRD schema, every rule of Aeraki's validating webhook, the checks the proxy applies when a route table arrives (an empty prefix or an oversized regex NACKs the whole table), and cross-object checks: shadowed routes, subsets missing from the DestinationRule, unknown hosts and ports, two MetaRouters for one host, responseMutation (never applied), requestMutation on Thrift or bRPC (ignored), a global rate limit without match (never limits).`

  static exitCodes = {0: 'no finding at or above --failure-threshold', 79: 'findings reached --failure-threshold (as istioctl analyze)'}

  static examples = [
    '<%= config.bin %> route analyze -f metarouter.yaml -f demo/metaprotocol-thrift/',
    '<%= config.bin %> route analyze -R -f demo/ -n meta-thrift --failure-threshold warning',
    '<%= config.bin %> route analyze -f demo/metaprotocol-thrift/ --suppress "REQUEST_MUTATION_IGNORED_BY_CODEC=meta-thrift/*" -o json',
  ]

  static flags = {
    filename: Flags.string({char: 'f', summary: 'Manifest file or folder (YAML or JSON); - reads stdin', multiple: true}),
    'max-input-mb': maxInputMbFlag(),
    recursive: Flags.boolean({char: 'R', summary: 'Read the sub-folders of -f folders too (as kubectl -R)'}),
    namespace: Flags.string({char: 'n', summary: 'Namespace for objects without one, and the only namespace analysed'}),
    'all-namespaces': Flags.boolean({char: 'A', summary: 'Analyse every namespace (the default for files)'}),
    output: outputFlag(),
    'failure-threshold': Flags.string({summary: 'Lowest severity that makes the exit code non-zero', options: ['error', 'warning', 'info'], default: 'error'}),
    suppress: Flags.string({summary: 'Suppress CODE=RESOURCE (RESOURCE: "Kind ns/name", "ns/name" or "name"; * wildcards)', multiple: true}),
    'regex-program-limit': regexProgramLimitFlag(),
    ...fromClusterFlags('Analyse what is in the cluster (with -f, the files as if applied on top)'),
  }

  async run(): Promise<AnalyzeRun> {
    const {flags} = await this.parse(RouteAnalyze)
    const result = await runAnalyze({
      files: flags.filename ?? [], maxInputMb: flags['max-input-mb'],
      namespace: flags.namespace,
      recursive: flags.recursive,
      allNamespaces: flags['all-namespaces'],
      suppress: flags.suppress ?? [],
      failureThreshold: flags['failure-threshold'] as 'error' | 'warning' | 'info',
      regexProgramLimit: flags['regex-program-limit'],
      ...fromClusterOption(flags),
    })
    for (const note of result.notes) this.note(note)
    await this.print(flags.output, result, {table: async color => (await import('../../lib/render/analyze-text.js')).renderAnalyzeText(result, result.scope, color)})
    return this.done(result, result.failed ? ExitCode.FINDINGS : ExitCode.OK)
  }
}
