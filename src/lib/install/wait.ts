// Waits for the demo's Deployments to roll out: a watch on Deployments and Pods per namespace triggers a fresh look,
// and a poll with backoff (250 ms doubling to 2 s) covers a watch that drops. Ends when all are ready, at the timeout,
// or on Ctrl-C, with each Deployment's readiness and, for those not ready, why (from pods and events).
import type {KubeObject} from '../resources/types.js'
import type {ClusterOps} from './cluster-ops.js'
import type {PlannedObject} from './plan.js'
import {deploymentReadiness, type DeploymentReadiness} from './readiness.js'
import {KubeError} from '../kube/errors.js'
import {InterruptedError} from '../cli/exit-codes.js'

export interface WaitOutcome {
  deployments: DeploymentReadiness[]
  ready: boolean
  timedOut: boolean
  interrupted: boolean
  elapsedMs: number
}

export async function waitForDeployments(ops: ClusterOps, deployments: PlannedObject[], o: {timeoutMs: number; signal?: AbortSignal; onUpdate: (r: DeploymentReadiness[]) => void}): Promise<WaitOutcome> {
  const started = Date.now()
  const namespaces = [...new Set(deployments.map(d => d.obj.metadata!.namespace!))]
  let wake: (() => void) | undefined
  // A change seen while we were looking must not wait for the next poll.
  let dirty = false
  const poke = () => {
    dirty = true
    wake?.()
  }
  const stops = await Promise.all(namespaces.flatMap(ns => [
    ops.watch(`/apis/apps/v1/namespaces/${ns}/deployments`, poke),
    ops.watch(`/api/v1/namespaces/${ns}/pods`, poke),
  ]))
  o.signal?.addEventListener('abort', poke)
  let delay = 250
  // Until the API answers, each Deployment is "not known yet"; when it stops answering, the last answer stays,
  // with why it is not fresh (issue 12 §6: a stalled API still ends at --timeout with the report).
  let state: DeploymentReadiness[] = deployments.map(d => unknown(d, NOT_YET))
  try {
    for (;;) {
      dirty = false
      const left = o.timeoutMs - (Date.now() - started)
      try {
        const answer = await beforeDeadline(look(ops, deployments, namespaces), Math.max(left, 0))
        if (answer === DEADLINE) state = state.map(d => (d.ready ? d : {...d, problems: [...d.problems.filter(fresh), `${NO_ANSWER} within --timeout`]}))
        else state = answer
      } catch (e) {
        if (e instanceof InterruptedError) return {deployments: state, ready: false, timedOut: false, interrupted: true, elapsedMs: Date.now() - started}
        if (!(e instanceof KubeError)) throw e
        // The API failed (down, restarting): keep the last state, say why, try again until the timeout.
        state = state.map(d => (d.ready ? d : {...d, problems: [...d.problems.filter(fresh), `${NO_ANSWER}: ${e.message}`]}))
      }
      o.onUpdate(state)
      const ready = state.every(d => d.ready)
      const elapsedMs = Date.now() - started
      const timedOut = !ready && elapsedMs >= o.timeoutMs
      if (ready || timedOut || o.signal?.aborted) return {deployments: state, ready, timedOut, interrupted: Boolean(o.signal?.aborted) && !ready, elapsedMs}
      if (!dirty) await sleepUntilPoked(Math.min(delay, o.timeoutMs - elapsedMs), w => (wake = w))
      wake = undefined
      await new Promise(r => setTimeout(r, 30)) // let a burst of watch events settle into one look
      delay = Math.min(delay * 2, 2000)
    }
  } finally {
    o.signal?.removeEventListener('abort', poke)
    for (const stop of stops) stop()
  }
}

const NO_ANSWER = 'the API did not answer the last look'
const NOT_YET = 'no answer from the API yet'
/** A problem from an answer of the API, not one saying there was none. */
const fresh = (p: string) => !p.startsWith(NO_ANSWER) && p !== NOT_YET
const DEADLINE = Symbol('deadline')

function unknown(d: PlannedObject, why: string): DeploymentReadiness {
  return {namespace: d.obj.metadata!.namespace!, name: d.obj.metadata!.name!, desired: (d.obj.spec as any)?.replicas ?? 1, available: 0, ready: false, problems: [why]}
}

/** `p`, or DEADLINE once `ms` have passed (a request of the look may still be in flight; its answer is dropped). */
function beforeDeadline<T>(p: Promise<T>, ms: number): Promise<T | typeof DEADLINE> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<typeof DEADLINE>(resolve => (timer = setTimeout(() => resolve(DEADLINE), ms)))
  p.catch(() => undefined) // a late failure of a dropped look is not unhandled
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer))
}

function sleepUntilPoked(ms: number, setWake: (w: () => void) => void): Promise<void> {
  return new Promise<void>(resolve => {
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      resolve()
    }
    setWake(done)
  })
}

async function look(ops: ClusterOps, deployments: PlannedObject[], namespaces: string[]): Promise<DeploymentReadiness[]> {
  const perNs = new Map<string, {deps: KubeObject[]; pods: KubeObject[]; events: KubeObject[] | undefined}>()
  await Promise.all(namespaces.map(async ns => {
    const [deps, pods] = await Promise.all([ops.list('apps/v1', 'Deployment', ns), ops.list('v1', 'Pod', ns)])
    perNs.set(ns, {deps, pods, events: undefined})
  }))
  const result: DeploymentReadiness[] = []
  for (const d of deployments) {
    const ns = d.obj.metadata!.namespace!
    const name = d.obj.metadata!.name!
    const at = perNs.get(ns)!
    const live = at.deps.find(x => x.metadata?.name === name)
    let r = deploymentReadiness(ns, name, live, at.pods, [])
    if (!r.ready && r.problems.some(p => /Pending|no pods|not ready|cannot be pulled/.test(p))) {
      // Events only when they can explain something (scheduler and kubelet messages).
      at.events ??= await ops.list('v1', 'Event', ns)
      r = deploymentReadiness(ns, name, live, at.pods, at.events)
    }
    result.push(r)
  }
  return result
}
