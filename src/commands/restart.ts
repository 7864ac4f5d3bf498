import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../lib/cli/base-command.js'
import {clusterFlags} from '../lib/cli/cluster-flags.js'
import {InputError} from '../lib/resources/errors.js'
import {namespaceOf} from '../lib/sidecar/cli.js'

/** What was restarted (rollout) or deleted (--force), and the pods no controller owns. */
export interface RestartResult {
  namespace: string
  restarted: Array<{kind: string; name: string; restartedAt: string}>
  deleted: string[]
  unowned: string[]
}

export default class Restart extends BaseCommand {
  static summary = 'Restart the pods of APP (rollout restart of their Deployment), or istiod / aeraki; --force deletes them at once'
  static description = `aerakictl.sh's _dangerous_delete_pod, _dangerous_delete_istiod_pod and _dangerous_delete_aeraki_pod, safe by default: a rollout restart as "kubectl rollout restart" does it (the pod template annotation kubectl.kubernetes.io/restartedAt is patched, so the Deployment replaces pods one by one). APP is a pod name or part of one; the Deployments (StatefulSets, DaemonSets) owning the matching pods are restarted. "restart istiod" and "restart aeraki" restart those Deployments in istio-system.

--force deletes the matching pods with grace period 0, as the script did, after a confirmation (--yes for scripts).`

  static exitCodes = {0: 'restarted (or nothing confirmed)', 2: 'bad input (no controller to restart, no --yes without a terminal)', 4: 'cluster errors (RBAC, no such pod)', 130: 'interrupted, at the prompt too'}

  static examples = [
    '<%= config.bin %> restart client meta-thrift',
    '<%= config.bin %> restart istiod',
    '<%= config.bin %> restart aeraki --force --yes',
  ]

  static args = {
    app: Args.string({description: 'Pod name or part of one, or istiod / aeraki', required: true}),
    namespace: Args.string({description: 'Namespace (same as -n)'}),
  }

  static flags = {
    ...clusterFlags,
    force: Flags.boolean({summary: 'Delete the pods with grace period 0 instead of a rollout restart'}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (with --force)'}),
  }

  async run(): Promise<RestartResult> {
    const {args, flags} = await this.parse(Restart)
    const [{connect}, restart, {RESTART_ALIASES}] = await Promise.all([import('../lib/cluster/connect.js'), import('../lib/mesh/restart.js'), import('../lib/mesh/targets.js')])
    const alias = RESTART_ALIASES[args.app]
    const namespace = namespaceOf(args.namespace, flags.namespace) ?? alias?.namespace
    const conn = await connect({kubeconfig: flags.kubeconfig, context: flags.context, namespace, requestTimeout: flags['request-timeout']})
    try {
      const ns = namespace ?? conn.namespace
      const plan = alias && !args.namespace && !flags.namespace ? await restart.planDeploymentRestart(conn, alias.namespace, alias.deployment) : await restart.planRestart(conn, ns, args.app)
      const what = plan.workloads.map((w) => `${w.kind.toLowerCase()}/${w.name}`).join(', ')
      if (flags.force) {
        const pods = plan.pods.join(', ')
        if (!flags.yes) {
          if (!process.stdin.isTTY) throw new InputError(`refusing to force-delete pods without confirmation: stdin is not a terminal; pass --yes`, '--yes')
          const {confirm} = await import('../lib/install/confirm.js')
          if (!(await confirm(`Delete ${plan.pods.length} pod(s) in ${plan.namespace} at once (grace period 0): ${pods}?`))) { this.note('Nothing deleted.'); return {namespace: plan.namespace, restarted: [], deleted: [], unowned: plan.unowned} }
        }
        await restart.forceDelete(conn, plan)
        if (!this.jsonEnabled()) this.out(`Deleted ${plan.pods.map((p) => `pod/${p}`).join(', ')} in ${plan.namespace} (grace period 0)${what ? `; ${what} will create new ones` : ''}.\n`)
        if (plan.unowned.length) this.note(`No controller owns ${plan.unowned.join(', ')}: nothing recreates ${plan.unowned.length > 1 ? 'them' : 'it'}.`)
        return {namespace: plan.namespace, restarted: [], deleted: plan.pods, unowned: plan.unowned}
      }
      if (plan.workloads.length === 0) throw new InputError(`no Deployment, StatefulSet or DaemonSet owns ${plan.unowned.join(', ')}: a rollout restart cannot replace ${plan.unowned.length > 1 ? 'them' : 'it'}; use --force to delete`, '--force')
      const at = await restart.rolloutRestart(conn, plan)
      if (!this.jsonEnabled()) for (const w of plan.workloads) this.out(`${w.kind.toLowerCase()}.apps/${w.name} restarted (${plan.namespace}, restartedAt ${at})\n`)
      if (plan.unowned.length) this.note(`Not restarted (no controller owns them): ${plan.unowned.join(', ')}; --force deletes them.`)
      return {namespace: plan.namespace, restarted: plan.workloads.map((w) => ({kind: w.kind, name: w.name, restartedAt: at})), deleted: [], unowned: plan.unowned}
    } finally {
      conn.close()
    }
  }
}
