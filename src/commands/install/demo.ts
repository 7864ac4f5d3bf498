import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {clusterFlags} from '../../lib/cli/cluster-flags.js'
import {outputFlag} from '../../lib/cli/output.js'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import type {InstallResult} from '../../lib/install/install.js'

export default class InstallDemo extends BaseCommand {
  static summary = 'Install the Aeraki demo apps (Thrift in meta-thrift, Dubbo in meta-dubbo) and wait until they are ready'

  static description = `Preflight before any write: the API answers, the MetaRouter, DestinationRule and ServiceEntry CRDs are served (Istio and Aeraki must be installed first), every get/create/patch is allowed (SelfSubjectAccessReview), and the API server accepts every object in a server-side dry run. Then everything is server-side applied with field manager "aerakictl" (running it again changes nothing and says so), and the Deployments are watched until available or --timeout. Progress goes to stderr (live on a terminal, one line per change when piped); the ✔/✘ report goes to stdout and names each pod that is not ready and why.

-o yaml (or json) only prints the manifests and touches no cluster.`

  static exitCodes = {
    0: 'everything ready (or --dry-run / --no-wait done)',
    3: 'not ready at --timeout',
    4: 'preflight refused (CRDs not served, RBAC) or cluster errors',
    130: 'interrupted, after saying what was already applied',
  }

  static examples = [
    '<%= config.bin %> install demo',
    '<%= config.bin %> install demo thrift --timeout 2m',
    '<%= config.bin %> install demo --dry-run',
    '<%= config.bin %> install demo dubbo -o yaml',
  ]

  static args = {demo: Args.string({description: 'Which demo', options: ['thrift', 'dubbo', 'all'], default: 'all'})}

  static flags = {
    kubeconfig: clusterFlags.kubeconfig,
    context: clusterFlags.context,
    'request-timeout': clusterFlags['request-timeout'],
    'dry-run': Flags.boolean({summary: 'Run the preflight checks and print what would be applied; change nothing'}),
    output: outputFlag({summary: 'table: install and report; yaml or json: only print the manifests (a List for json), touch no cluster'}),
    timeout: Flags.string({summary: 'How long to wait for the Deployments to become available (Go duration: 90s, 5m, 1h)', default: '5m'}),
    'no-wait': Flags.boolean({summary: 'Apply and return without waiting for the Deployments'}),
    'force-conflicts': Flags.boolean({summary: 'Take over fields another field manager set to other values (server-side apply force)'}),
  }

  async run(): Promise<InstallResult | {manifests: unknown[]}> {
    const {args, flags} = await this.parse(InstallDemo)
    const {parseTimeout} = await import('../../lib/install/options.js')
    const timeoutMs = parseTimeout(flags.timeout)
    if (flags.output !== 'table') {
      const [{loadPlan}, {manifestsYaml, manifestList}] = await Promise.all([import('../../lib/install/plan.js'), import('../../lib/render/manifests.js')])
      const manifests = (await loadPlan(args.demo)).map(p => p.obj)
      await this.print(flags.output, manifestList(manifests), {yaml: () => manifestsYaml(manifests)})
      return {manifests}
    }
    const [{runInstall}, {renderInstallReport}, {ProgressModel, startProgress}, {wantsColor}, {onInterrupt}] = await Promise.all([
      import('../../lib/install/install.js'), import('../../lib/install/report.js'), import('../../lib/install/progress/index.js'),
      import('../../lib/render/style.js'), import('../../lib/cli/interrupt.js'),
    ])
    // The handler stays until the report is out: a second Ctrl-C then exits at once (130).
    const interrupt = onInterrupt()
    try {
      const progress = new ProgressModel()
      const renderer = await startProgress(progress, process.stderr)
      let result: InstallResult
      try {
        result = await runInstall({
          demo: args.demo, cluster: {kubeconfig: flags.kubeconfig, context: flags.context, requestTimeout: flags['request-timeout']}, dryRun: flags['dry-run'],
          wait: !flags['no-wait'], timeoutMs, forceConflicts: flags['force-conflicts'], signal: interrupt.signal, progress,
        })
      } finally {
        await renderer.stop()
      }
      const code = result.interrupted ? ExitCode.INTERRUPTED : result.dryRun || !result.waited || result.ready ? ExitCode.OK : ExitCode.CHECK_FAILED
      if (!this.jsonEnabled()) this.out(renderInstallReport(result, wantsColor(process.stdout)))
      return this.done(result, code)
    } finally {
      interrupt.dispose()
    }
  }
}
