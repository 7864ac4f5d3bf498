// `install demo`: plan → preflight (no writes) → server-side apply → wait for the Deployments → a typed result
// the command renders as ✔/✘ lines. Progress goes to a ProgressModel, one line per component.
import {connect, type ClusterFlags} from '../cluster/connect.js'
import {clientNodeOps, type ClusterOps} from './cluster-ops.js'
import {componentsOf, componentKey, loadPlan, type Component, type PlannedObject} from './plan.js'
import {actionFor, preflight, type Action, type Preflight} from './preflight.js'
import {InterruptedError} from '../cli/exit-codes.js'
import {PAST as APPLIED_PAST} from '../cluster/apply.js'
import {RolledBack, applyObjects, type AppliedObject} from './apply-objects.js'
import {waitForDeployments} from './wait.js'
import type {DeploymentReadiness} from './readiness.js'
import type {ProgressModel} from './progress/model.js'
import {plural} from '../render/plural.js'

export interface InstallOptions {
  demo?: string
  cluster: ClusterFlags
  dryRun: boolean
  wait: boolean
  timeoutMs: number
  /** Server-side apply with force: take over fields another field manager owns. */
  forceConflicts?: boolean
  signal?: AbortSignal
  progress: ProgressModel
  /** For tests: a ClusterOps instead of a connection from the kubeconfig. */
  ops?: ClusterOps
}

export interface InstalledObject {
  resource: string
  namespace: string
  component: string
  /** What was done (or, with --dry-run, would be done); "not applied" after Ctrl-C. */
  action: Action | 'not applied'
}

export interface InstallResult {
  demos: string[]
  context: string
  server: string
  dryRun: boolean
  objects: InstalledObject[]
  deployments: DeploymentReadiness[]
  waited: boolean
  /** Every Deployment available (false when not waited for). */
  ready: boolean
  timedOut: boolean
  timeoutMs: number
  interrupted: boolean
  /** Objects the dry run could not check before their namespace exists (validated during the install). */
  deferredDryRun: number
  timings: {applyMs: number; readyMs: number | null}
}

export async function runInstall(o: InstallOptions): Promise<InstallResult> {
  const planned = await loadPlan(o.demo)
  const components = componentsOf(planned)
  o.progress.add('preflight', 'preflight')
  for (const c of components) o.progress.add(c.key, `${c.namespace} ${c.kind}`)
  const conn = o.ops ? undefined : await connect({...o.cluster, signal: o.signal})
  try {
    const ops = o.ops ?? (await clientNodeOps(conn!, {force: o.forceConflicts}))
    return await install(ops, planned, components, o)
  } finally {
    conn?.close()
  }
}

async function install(ops: ClusterOps, planned: PlannedObject[], components: Component[], o: InstallOptions): Promise<InstallResult> {
  const t0 = Date.now()
  const result: InstallResult = {
    demos: [...new Set(planned.map(p => p.demo.name))], context: ops.where.context, server: ops.where.server, dryRun: o.dryRun,
    objects: planned.map(p => ({resource: p.ref, namespace: p.demo.namespace, component: p.component, action: 'not applied'})),
    deployments: [], waited: false, ready: false, timedOut: false, timeoutMs: o.timeoutMs, interrupted: false, deferredDryRun: 0, timings: {applyMs: 0, readyMs: null},
  }
  const entry = (p: PlannedObject) => result.objects[planned.indexOf(p)]
  const step = (detail: string) => o.progress.set('preflight', 'working', detail)

  let pre: Preflight
  try {
    pre = await preflight(ops, planned, {wait: o.wait && !o.dryRun, step, signal: o.signal})
  } catch (e) {
    // Between two steps (Interrupted), or a request in flight given up at once (InterruptedError).
    if (e instanceof InterruptedError) return interrupted(result, o, 'preflight')
    o.progress.set('preflight', 'failed', 'stopped before any write (the error follows)')
    for (const c of components) o.progress.set(c.key, 'skipped', 'not applied')
    throw e
  }
  result.deferredDryRun = pre.deferred.length
  const checked = planned.length - pre.deferred.length
  o.progress.set('preflight', 'done', `Kubernetes ${pre.serverVersion}, CRDs served, ${pre.reviews} permissions granted, dry run of ${plural(checked, 'object')} passed`)

  if (o.dryRun) {
    for (const p of planned) entry(p).action = pre.deferred.includes(p) ? 'create' : actionFor(pre.live.get(p), pre.dryRun.get(p))
    for (const c of components) o.progress.set(c.key, 'done', `dry run: ${summarizeFuture(c.objects.map(p => entry(p).action as Action))}`)
    result.timings.applyMs = Date.now() - t0
    return result
  }

  const remaining = new Map(components.map(c => [c.key, c.objects.length]))
  const actions = new Map<string, Action[]>()
  for (const c of components) o.progress.set(c.key, 'working', 'applying')
  const onApplied = (a: AppliedObject) => {
    const key = componentKey(a.planned)
    entry(a.planned).action = a.action
    actions.set(key, [...(actions.get(key) ?? []), a.action])
    remaining.set(key, remaining.get(key)! - 1)
    if (remaining.get(key) === 0) {
      const hasDeployments = components.find(c => c.key === key)!.objects.some(p => p.obj.kind === 'Deployment')
      o.progress.set(key, hasDeployments && o.wait ? 'working' : 'done', `${summarizePast(actions.get(key)!)}${hasDeployments && o.wait ? ', waiting for rollout' : ''}`)
    }
  }
  let outcome
  try {
    outcome = await applyObjects(ops, planned, pre, {signal: o.signal, onApplied})
  } catch (e) {
    for (const c of components) {
      const left = remaining.get(c.key)!
      if (left > 0) o.progress.set(c.key, 'failed', `${c.objects.length - left} of ${c.objects.length} applied; stopped (the error follows)`)
    }
    if (e instanceof RolledBack) for (const p of e.removed) o.progress.set(componentKey(p), 'failed', 'created, then removed again (the error follows)')
    throw e
  }
  result.timings.applyMs = Date.now() - t0
  if (outcome.interruptedBefore) return interrupted(result, o, 'apply')

  const deployments = planned.filter(p => p.obj.kind === 'Deployment')
  if (!o.wait) {
    result.ready = false
    return result
  }
  result.waited = true
  const waited = await waitForDeployments(ops, deployments, {
    timeoutMs: o.timeoutMs, signal: o.signal,
    onUpdate: state => showRollout(o.progress, components, state, actions, false),
  })
  result.deployments = waited.deployments
  result.ready = waited.ready
  result.timedOut = waited.timedOut
  result.timings.readyMs = waited.ready ? Date.now() - t0 : null
  showRollout(o.progress, components, waited.deployments, actions, true)
  if (waited.interrupted) return interrupted(result, o, 'wait')
  return result
}

function showRollout(progress: ProgressModel, components: Component[], state: DeploymentReadiness[], actions: Map<string, Action[]>, final: boolean): void {
  for (const c of components) {
    const mine = state.filter(d => c.objects.some(p => p.obj.kind === 'Deployment' && p.obj.metadata?.name === d.name && p.demo.namespace === d.namespace))
    if (mine.length === 0) continue
    const ready = mine.filter(d => d.ready).length
    const all = ready === mine.length
    const problem = mine.find(d => !d.ready)?.problems[0]
    const detail = `${summarizePast(actions.get(c.key) ?? [])}, ${ready}/${mine.length} Deployments available${problem ? `; ${problem}` : ''}`
    progress.set(c.key, all ? 'done' : final ? 'failed' : 'working', detail)
  }
}

function interrupted(result: InstallResult, o: InstallOptions, phase: 'preflight' | 'apply' | 'wait'): InstallResult {
  result.interrupted = true
  for (const line of o.progress.snapshot()) {
    if (line.status === 'working' || line.status === 'pending') o.progress.set(line.key, 'failed', phase === 'wait' ? `${line.detail} (interrupted)` : 'interrupted')
  }
  return result
}

export const PAST: Record<Action | 'not applied', string> = {...APPLIED_PAST, 'not applied': 'not applied'}
const FUTURE: Record<Action | 'not applied', string> = {create: 'to create', configure: 'to configure', unchanged: 'unchanged', 'not applied': 'not applied'}

/** "3 created", "1 configured, 2 unchanged", "unchanged". */
export function summarizePast(actions: Array<Action | 'not applied'>): string {
  return countWords(actions.map(a => PAST[a]))
}

/** "3 to create", "2 unchanged". */
export function summarizeFuture(actions: Array<Action | 'not applied'>): string {
  return countWords(actions.map(a => FUTURE[a]))
}

function countWords(words: string[]): string {
  const counts = new Map<string, number>()
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1)
  if (counts.size === 1 && counts.has('unchanged')) return 'unchanged'
  return [...counts].map(([w, n]) => `${n} ${w}`).join(', ')
}

