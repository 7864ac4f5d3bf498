// Is a Deployment rolled out, and if not, why: the pods it selects and the reason each is not ready, in the words
// a user acts on (ImagePullBackOff with the image, Pending with the scheduler's or kubelet's event message).
import type {KubeObject} from '../resources/types.js'

export interface DeploymentReadiness {
  namespace: string
  name: string
  desired: number
  available: number
  ready: boolean
  /** One line per pod that is not ready ("pod x: ImagePullBackOff: …"), or why there are no pods. */
  problems: string[]
}

const IMAGE_PULL = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull'])

/** kubectl rollout status's rule: the controller saw this generation, all replicas are updated and available. */
export function rolledOut(dep: KubeObject): {ready: boolean; desired: number; available: number} {
  const spec: any = dep.spec ?? {}
  const st: any = dep.status ?? {}
  const desired = spec.replicas ?? 1
  const available = st.availableReplicas ?? 0
  const observed = (st.observedGeneration ?? 0) >= (dep.metadata as any)?.generation
  const updated = st.updatedReplicas ?? 0
  const ready = observed && updated >= desired && (st.replicas ?? 0) <= updated && available >= desired
  return {ready, desired, available}
}

export function selects(dep: KubeObject, pod: KubeObject): boolean {
  const sel: Record<string, string> = (dep.spec as any)?.selector?.matchLabels ?? {}
  const labels = pod.metadata?.labels ?? {}
  return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v)
}

export function deploymentReadiness(namespace: string, name: string, dep: KubeObject | undefined, pods: KubeObject[], events: KubeObject[]): DeploymentReadiness {
  if (!dep) return {namespace, name, desired: 1, available: 0, ready: false, problems: ['the Deployment does not exist (deleted while waiting?)']}
  const r = rolledOut(dep)
  if (r.ready) return {namespace, name, ...r, problems: []}
  const mine = pods.filter(p => selects(dep, p) && !p.metadata?.deletionTimestamp)
  const problems = mine.map(p => podProblem(p, events)).filter((x): x is string => x !== undefined)
  if (problems.length === 0) problems.push(mine.length === 0 ? noPodsReason(dep, events) : 'the pods are ready; waiting for the Deployment status to catch up')
  return {namespace, name, ...r, problems}
}

function noPodsReason(dep: KubeObject, events: KubeObject[]): string {
  const failed = ((dep.status as any)?.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure' && c.status === 'True')
  if (failed) return `no pods: ${failed.message ?? failed.reason}`
  const warning = latestWarning(events, e => e.involvedObject?.kind === 'ReplicaSet' && String(e.involvedObject?.name ?? '').startsWith(`${dep.metadata?.name}-`))
  return warning ? `no pods: ${warning}` : 'no pods created yet'
}

/** Why a pod is not ready, or undefined when it is. */
export function podProblem(pod: KubeObject, events: KubeObject[]): string | undefined {
  const st: any = pod.status ?? {}
  const name = pod.metadata?.name ?? '?'
  if ((st.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')) return undefined
  const mine = (e: any) => e.involvedObject?.kind === 'Pod' && e.involvedObject?.name === name
  const statuses: any[] = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]
  for (const cs of statuses) {
    const w = cs.state?.waiting
    if (!w?.reason) continue
    if (IMAGE_PULL.has(w.reason)) {
      const pullError = latestWarning(events, e => mine(e) && /Failed to pull image/.test(e.message ?? ''))
      return `pod ${name}: ${w.reason}: image "${cs.image}" of container ${cs.name} cannot be pulled${pullError ? ` (${pullError})` : ''}`
    }
    if (w.reason === 'CrashLoopBackOff') {
      const last = cs.lastState?.terminated
      return `pod ${name}: CrashLoopBackOff: container ${cs.name} restarted ${cs.restartCount ?? 0} times${last ? ` (last exit: ${last.reason ?? 'Error'}, code ${last.exitCode})` : ''}`
    }
    if (w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') return `pod ${name}: ${w.reason}${w.message ? `: ${w.message}` : ''} (container ${cs.name})`
  }
  const phase = st.phase ?? 'Pending'
  if (phase === 'Pending') {
    const unscheduled = (st.conditions ?? []).find((c: any) => c.type === 'PodScheduled' && c.status === 'False')
    const why = unscheduled?.message ?? latestWarning(events, mine) ?? statuses.find(cs => cs.state?.waiting)?.state.waiting.reason ?? 'waiting to be scheduled'
    return `pod ${name}: Pending: ${why}`
  }
  if (phase === 'Running') {
    const notReady = statuses.filter(cs => !cs.ready).map(cs => cs.name)
    const probe = latestWarning(events, e => mine(e) && e.reason === 'Unhealthy')
    return `pod ${name}: Running but not ready${notReady.length ? ` (container ${notReady.join(', ')})` : ''}${probe ? `: ${probe}` : ''}`
  }
  return `pod ${name}: ${phase}${st.reason ? `: ${st.reason}` : ''}${st.message ? ` (${st.message})` : ''}`
}

function latestWarning(events: KubeObject[], filter: (e: any) => boolean): string | undefined {
  const when = (e: any) => String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '')
  const hits = events.filter((e: any) => e.type === 'Warning' && filter(e)).sort((a, b) => when(a).localeCompare(when(b)))
  return (hits.at(-1) as any)?.message
}
