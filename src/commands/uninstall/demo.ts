import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {clusterFlags} from '../../lib/cli/cluster-flags.js'
import {InputError} from '../../lib/resources/errors.js'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import type {UninstallResult} from '../../lib/install/uninstall.js'

export default class UninstallDemo extends BaseCommand {
  static summary = 'Delete the Aeraki demo namespaces (meta-thrift, meta-dubbo) and wait until they are gone'

  static description = `Asks for confirmation on a terminal unless --yes; without a terminal on stdin it refuses unless --yes. Checks first that you may delete the namespaces (SelfSubjectAccessReview); nothing is deleted otherwise.`

  static exitCodes = {
    0: 'the chosen demo namespaces are gone (or there was nothing to do, or you declined)',
    2: 'bad input, including a missing --yes without a terminal',
    3: 'a namespace still terminating at --timeout',
    130: 'interrupted, at the prompt too',
  }

  static examples = ['<%= config.bin %> uninstall demo', '<%= config.bin %> uninstall demo thrift --yes']

  static args = {demo: Args.string({description: 'Which demo', options: ['thrift', 'dubbo', 'all'], default: 'all'})}

  static flags = {
    kubeconfig: clusterFlags.kubeconfig,
    context: clusterFlags.context,
    'request-timeout': clusterFlags['request-timeout'],
    yes: Flags.boolean({char: 'y', summary: 'Delete without asking'}),
    timeout: Flags.string({summary: 'How long to wait for the namespaces to be gone (Go duration)', default: '5m'}),
  }

  async run(): Promise<UninstallResult | {cancelled: true}> {
    const {args, flags} = await this.parse(UninstallDemo)
    const {onInterrupt} = await import('../../lib/cli/interrupt.js')
    // Installed before anything is deleted and kept until the report is out; a second Ctrl-C exits at once.
    const interrupt = onInterrupt()
    try {
      return await this.uninstall(args, flags, interrupt.signal)
    } finally {
      interrupt.dispose()
    }
  }

  private async uninstall(args: {demo: string}, flags: {kubeconfig?: string; context?: string; 'request-timeout': number; yes: boolean; timeout: string}, signal: AbortSignal): Promise<UninstallResult | {cancelled: true}> {
    const [{parseTimeout}, {openUninstall, renderUninstallReport}, {ProgressModel, startProgress}, {palette, wantsColor}, {confirm, describeNamespaces}, {formatDuration}] = await Promise.all([
      import('../../lib/install/options.js'), import('../../lib/install/uninstall.js'), import('../../lib/install/progress/index.js'),
      import('../../lib/render/style.js'), import('../../lib/install/confirm.js'), import('../../lib/install/report.js'),
    ])
    const timeoutMs = parseTimeout(flags.timeout)
    const session = await openUninstall({demo: args.demo, cluster: {kubeconfig: flags.kubeconfig, context: flags.context, requestTimeout: flags['request-timeout']}})
    let result: UninstallResult
    try {
      const existing = session.namespaces.filter(n => n.exists)
      if (existing.length > 0 && !flags.yes) {
        const what = `namespace${existing.length > 1 ? 's' : ''} ${describeNamespaces(existing)}`
        if (!process.stdin.isTTY) throw new InputError(`refusing to delete ${what} without confirmation: stdin is not a terminal; pass --yes`, '--yes')
        if (!(await confirm(`Delete ${what} in context "${session.context}", with everything in ${existing.length > 1 ? 'them' : 'it'}?`))) {
          this.note('Cancelled: nothing was deleted.')
          return {cancelled: true}
        }
      }
      const progress = new ProgressModel()
      const renderer = await startProgress(progress, process.stderr)
      try {
        result = await session.remove({timeoutMs, signal, progress})
      } finally {
        await renderer.stop()
      }
    } finally {
      session.close()
    }
    const left = result.namespaces.some(n => n.outcome === 'still terminating' || n.outcome === 'not deleted')
    const code = result.interrupted ? ExitCode.INTERRUPTED : left ? ExitCode.CHECK_FAILED : ExitCode.OK
    if (!this.jsonEnabled()) {
      const c = palette(wantsColor(process.stdout))
      this.out(renderUninstallReport(result, s => `${c.green('✔')} ${s}`, s => `${c.red('✘')} ${s}`, formatDuration(timeoutMs)))
    }
    return this.done(result, code)
  }
}
