// Which pod and container the dump is read from: a full pod name, or an app name matched as a substring of pod
// names (aerakictl.sh's `kubectl get pods | grep APP`), preferring running pods; errors list what exists.
import type {KubeClient} from '../kube/client.js'
import {KubeError} from '../kube/errors.js'
import {listPods, type PodSummary} from '../kube/pods.js'

export interface SidecarQuery {
  app: string
  namespace: string
  container: string
}

function listed(names: string[]): string {
  return names.length === 0 ? 'none' : `${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length} in all)` : ''}`
}

export function choosePod(pods: PodSummary[], q: SidecarQuery): PodSummary {
  const exact = pods.find((p) => p.name === q.app)
  if (exact) return exact
  const hits = pods.filter((p) => p.name.includes(q.app))
  if (hits.length > 0) return hits.find((p) => p.phase === 'Running') ?? hits[0]
  const there = pods.length === 0 ? `there are no pods in namespace ${q.namespace}` : `pods in namespace ${q.namespace}: ${listed(pods.map((p) => p.name))}`
  throw new KubeError('not-found', `no pod in namespace ${q.namespace} matches "${q.app}" (full name or part of a name); ${there}`, 404)
}

export function checkContainer(pod: PodSummary, container: string): void {
  if (pod.containers.includes(container)) return
  const hint = container === 'istio-proxy' ? '; the pod has no Istio sidecar (is its namespace labelled istio-injection=enabled?), or pass -c' : ''
  throw new KubeError('not-found', `container "${container}" not found in pod ${pod.namespace}/${pod.name}; its containers: ${listed(pod.containers)}${hint}`, 404)
}

export async function resolveSidecar(kube: KubeClient, q: SidecarQuery): Promise<PodSummary> {
  const pod = choosePod(await listPods(kube, {namespace: q.namespace}), q)
  checkContainer(pod, q.container)
  if (pod.phase !== 'Running') {
    throw new KubeError('invalid', `pod ${pod.namespace}/${pod.name} is ${pod.phase}, not Running: its sidecar cannot answer yet`)
  }
  return pod
}
