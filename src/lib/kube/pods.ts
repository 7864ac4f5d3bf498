// Finding pods the way aerakictl.sh does (`kubectl get pods | grep APP`: an app name matched as a
// substring of pod names), or by label selector; errors list what does exist.
import type {KubeObject} from '../resources/types.js'
import type {KubeClient} from './client.js'
import {KubeError} from './errors.js'

export interface PodQuery {
  namespace?: string
  /** Substring of the pod name, e.g. `client` matches `thrift-sample-client-6f9c7d8b5-x2k4p`. */
  app?: string
  /** Label selector, e.g. `app=thrift-sample-server,version=v1`. */
  selector?: string
  /** Only pods in phase Running (default false). */
  runningOnly?: boolean
}

export interface PodSummary {
  name: string
  namespace: string
  phase: string
  ready: boolean
  ip?: string
  containers: string[]
  labels: Record<string, string>
  /** The container kubectl would pick by default (annotation, else the first one). */
  defaultContainer?: string
  object: KubeObject
}

export function summarizePod(p: KubeObject): PodSummary {
  const containers: string[] = ((p.spec as any)?.containers ?? []).map((c: any) => c.name)
  const st: any = p.status ?? {}
  return {
    name: p.metadata?.name ?? '', namespace: p.metadata?.namespace ?? '', phase: st.phase ?? 'Unknown',
    ready: (st.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'), ip: st.podIP,
    containers, labels: p.metadata?.labels ?? {},
    defaultContainer: p.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0], object: p,
  }
}

export async function listPods(kube: KubeClient, q: PodQuery = {}): Promise<PodSummary[]> {
  const namespace = q.namespace ?? kube.namespace
  const {CoreV1Api} = await import('@kubernetes/client-node')
  const list = await kube.run({verb: 'list', resource: 'pods', namespace}, kc => kc.makeApiClient(CoreV1Api).listNamespacedPod({namespace, ...(q.selector ? {labelSelector: q.selector} : {})}))
  return (list.items as unknown as KubeObject[]).map(summarizePod).sort((a, b) => a.name.localeCompare(b.name))
}

/** Pods matching the app substring and/or selector, sorted by name. Empty when nothing matches. */
export async function findPods(kube: KubeClient, q: PodQuery): Promise<PodSummary[]> {
  const pods = await listPods(kube, q)
  return pods.filter((p) => (!q.app || p.name.includes(q.app)) && (!q.runningOnly || p.phase === 'Running'))
}

/** The first matching pod (as aerakictl.sh's `head -n 1`), or an error naming what exists. */
export async function findPod(kube: KubeClient, q: PodQuery): Promise<PodSummary> {
  const namespace = q.namespace ?? kube.namespace
  const all = await listPods(kube, {...q, namespace})
  const hits = all.filter((p) => (!q.app || p.name.includes(q.app)) && (!q.runningOnly || p.phase === 'Running'))
  if (hits.length > 0) return hits.find((p) => p.phase === 'Running') ?? hits[0]
  const what = [q.app ? `"${q.app}"` : '', q.selector ? `selector ${q.selector}` : ''].filter(Boolean).join(' and ') || 'the query'
  const exists = all.length ? `pods there: ${all.slice(0, 10).map((p) => p.name).join(', ')}${all.length > 10 ? `, … (${all.length})` : ''}` : 'there are no pods in it'
  throw new KubeError('not-found', `no ${q.runningOnly ? 'running ' : ''}pod in namespace ${namespace} matches ${what}; ${exists}`, 404)
}
