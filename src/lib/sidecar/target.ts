// Which pod and container the dump is read from: APP as every command takes it (kube/pod-target.ts: pod/NAME,
// deploy/NAME, a full pod name, else a part of pod names), preferring running pods; errors list what exists.
import type {KubeClient} from '../kube/client.js'
import {KubeError} from '../kube/errors.js'
import {findPod, type PodSummary} from '../kube/pods.js'

export interface SidecarQuery {
  app: string
  namespace: string
  container: string
}

function listed(names: string[]): string {
  return names.length === 0 ? 'none' : `${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length} in all)` : ''}`
}

export function checkContainer(pod: PodSummary, container: string): void {
  if (pod.containers.includes(container)) return
  const hint = container === 'istio-proxy' ? '; the pod has no Istio sidecar (is its namespace labelled istio-injection=enabled?), or pass -c' : ''
  throw new KubeError('not-found', `container "${container}" not found in pod ${pod.namespace}/${pod.name}; its containers: ${listed(pod.containers)}${hint}`, 404)
}

export async function resolveSidecar(kube: KubeClient, q: SidecarQuery): Promise<PodSummary> {
  const pod = await findPod(kube, {app: q.app, namespace: q.namespace})
  checkContainer(pod, q.container)
  if (pod.phase !== 'Running') {
    throw new KubeError('invalid', `pod ${pod.namespace}/${pod.name} is ${pod.phase}, not Running: its sidecar cannot answer yet`)
  }
  return pod
}
