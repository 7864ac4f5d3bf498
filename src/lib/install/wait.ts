// Waits for the demo's Deployments to roll out: a watch on Deployments and Pods per namespace triggers a fresh look,
// and a poll with backoff (250 ms doubling to 2 s) covers a watch that drops. Ends when all are ready, at the timeout,
// or on Ctrl-C, with each Deployment's readiness and, for those not ready, why (from pods and events).
import type {KubeObject} from '../resources/types.js'
import type {ClusterOps} from './cluster-ops.js'
import type {PlannedObject} from './plan.js'
import {deploymentReadiness, type DeploymentReadiness} from './readiness.js'

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
  try {
    for (;;) {
      dirty = false
      const state = await look(ops, deployments, namespaces)
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
