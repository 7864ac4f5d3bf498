import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../lib/cli/base-command.js'
import {clusterFlags} from '../lib/cli/cluster-flags.js'
import {parseKeyValue} from '../lib/dryrun/run.js'
import {outputFlag} from '../lib/cli/output.js'
import {ExitCode} from '../lib/cli/exit-codes.js'
import type {ApplyResult} from '../lib/apply/apply.js'
import type {Finding} from '../lib/resources/types.js'

/** What apply did: applied (or dry-ran), only rendered (-o json|yaml), or blocked by findings (nothing written). */
export type ApplyCommandResult = ApplyResult | {rendered: unknown[]} | {applied: false; message: string; findings: Finding[]}
import {regexProgramLimitFlag} from '../lib/cli/regex-flag.js'
import {maxInputMbFlag} from '../lib/cli/input-flags.js'

export default class Apply extends BaseCommand {
  static summary = 'Render a MetaRouter template (or read files), validate it against the cluster, and server-side apply it'

  static description = `Validation covers the CRD schema, Aeraki's webhook rules, what the proxy would NACK, and cross-object checks against the live cluster (subsets in DestinationRules, hosts, ports, other MetaRouters for the same host). Any error stops it before the first write; every object also passes a server-side dry run before the real apply. On a terminal (or with --diff) the changes against the live objects are shown before writing.

-o yaml (or json) only renders the manifests and touches no cluster; --json applies and prints the result as JSON.`

  static exitCodes = {
    0: 'applied (or nothing to change)',
    4: 'the cluster refused or failed; if that happened part way, the report lists what was applied and what was not',
    79: 'validation errors: nothing was written',
    130: 'interrupted (Ctrl-C), after saying what was already applied',
  }

  static examples = [
    '<%= config.bin %> apply method-route',
    '<%= config.bin %> apply traffic-split --set weights=v1:20,v2:80',
    '<%= config.bin %> apply traffic-split -n meta-dubbo --diff',
    '<%= config.bin %> apply local-ratelimit -o yaml',
    '<%= config.bin %> apply -f my-metarouter.yaml --dry-run server',
  ]

  // ignoreStdin: without it oclif reads a missing argument from stdin, eating `-f -`.
  static args = {template: Args.string({description: 'Template name (aerakictl templates list)', required: false, ignoreStdin: true})}

  static flags = {
    ...clusterFlags,
    filename: Flags.string({char: 'f', summary: 'Apply manifests from files or folders instead of a template', multiple: true}),
    'max-input-mb': maxInputMbFlag(),
    service: Flags.string({summary: 'Service the template is for (short name in the namespace, or an FQDN)'}),
    set: Flags.string({summary: 'Template parameter KEY=VALUE', multiple: true}),
    'dry-run': Flags.string({summary: 'client: touch nothing; server: ask the API server to validate without persisting', options: ['client', 'server']}),
    diff: Flags.boolean({summary: 'Show the changes against the live objects (always shown on a terminal)'}),
    'force-conflicts': Flags.boolean({summary: 'Take over fields owned by another field manager'}),
    output: outputFlag({summary: 'table: apply and report; yaml or json: only render the manifests (a List for json), touch no cluster'}),
    'regex-program-limit': regexProgramLimitFlag(),
  }

  async run(): Promise<ApplyCommandResult> {
    const {args, flags} = await this.parse(Apply)
    const {renderForApply, applyManifests, ApplyBlocked} = await import('../lib/apply/apply.js')
    const options = {
      template: args.template,
      files: flags.filename ?? [], maxInputMb: flags['max-input-mb'],
      namespace: flags.namespace,
      service: flags.service,
      set: Object.fromEntries((flags.set ?? []).map(s => parseKeyValue(s, '--set'))),
      dryRun: flags['dry-run'] as 'client' | 'server' | undefined,
      renderOnly: flags.output !== 'table',
      forceConflicts: flags['force-conflicts'],
      cluster: {kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, requestTimeout: flags['request-timeout']},
      regexProgramLimit: flags['regex-program-limit'],
    }
    const rendered = await renderForApply(options)
    if (options.renderOnly) {
      const objects = rendered.objects.map(l => l.obj)
      const {manifestsYaml, manifestList} = await import('../lib/render/manifests.js')
      await this.print(flags.output, manifestList(objects), {yaml: () => manifestsYaml(objects)})
      return {rendered: objects}
    }
    const [{renderPlan, renderApplyResult}, {wantsColor}] = await Promise.all([import('../lib/render/apply-text.js'), import('../lib/render/style.js')])
    const color = wantsColor(process.stdout)
    const showDiff = !this.jsonEnabled() && (flags.diff || Boolean(process.stdout.isTTY))
    // Ctrl-C stops between two writes and the report says what was applied; a second Ctrl-C exits at once.
    const {onInterrupt} = await import('../lib/cli/interrupt.js')
    const interrupt = onInterrupt()
    try {
      const result = await applyManifests({...options, signal: interrupt.signal, onNote: line => this.note(line), onPlan: plan => showDiff && this.out(renderPlan(plan, color))}, rendered)
      if (!this.jsonEnabled()) this.out(renderApplyResult(result, color))
      if (result.incomplete) {
        if (result.incomplete.failed && !result.incomplete.interrupted) this.note(`Error: applying ${result.incomplete.failed.resource} failed: ${result.incomplete.failed.message}`)
        return this.done(result, result.incomplete.exitCode)
      }
      return result
    } catch (e) {
      if (!(e instanceof ApplyBlocked)) throw e
      if (!this.jsonEnabled()) {
        const {renderFindingLines} = await import('../lib/render/analyze-text.js')
        process.stderr.write(renderFindingLines(e.findings, wantsColor(process.stderr)))
        process.stderr.write(`Error: ${e.message}\n`)
      }
      return this.done({applied: false, message: e.message, findings: e.findings}, ExitCode.FINDINGS)
    } finally {
      interrupt.dispose()
    }
  }
}
