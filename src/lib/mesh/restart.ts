// `restart`: what aerakictl.sh's _dangerous_delete_*pod did, done the safe way by default. A rollout restart as
// `kubectl rollout restart` does it (k8s.io/kubectl pkg/polymorphichelpers/objectrestarter.go: a patch of the
// pod template annotation kubectl.kubernetes.io/restartedAt), so the controller replaces pods one by one; with
// --force, the pods are deleted with grace period 0 (the script's `kubectl delete pod --force --grace-period=0`).
import type {V1Pod} from '@kubernetes/client-node'
import {call, type ClusterConnection} from '../cluster/connect.js'
import {KubeError} from '../kube/errors.js'

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt'

export interface Workload {kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'; name: string; namespace: string}

export interface RestartPlan {
  namespace: string
  pods: string[]
  workloads: Workload[]
  /** Pods no workload owns (a bare pod): only --force can replace them (and nothing recreates them). */
  unowned: string[]
}

const GROUPS = {Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets'} as const

/** The pods matching APP (substring of the name, as aerakictl.sh; or an exact name) and the workloads owning them. */
export async function planRestart(conn: ClusterConnection, namespace: string, app: string): Promise<RestartPlan> {
  const {CoreV1Api, AppsV1Api} = await import('@kubernetes/client-node')
  const core = conn.kc.makeApiClient(CoreV1Api)
  const apps = conn.kc.makeApiClient(AppsV1Api)
  const all = (await call(conn, {verb: 'list', resource: 'pods', namespace}, () => core.listNamespacedPod({namespace}))).items
  const exact = all.filter((p) => p.metadata?.name === app)
  const pods: V1Pod[] = exact.length ? exact : all.filter((p) => p.metadata?.name?.includes(app))
  if (pods.length === 0) {
    const names = all.map((p) => p.metadata!.name!).sort()
    throw new KubeError('not-found', `no pod in namespace ${namespace} matches "${app}"; ${names.length ? `pods there: ${names.slice(0, 10).join(', ')}` : 'there are no pods in it'}`, 404)
  }
  const workloads = new Map<string, Workload>()
  const unowned: string[] = []
  for (const p of pods) {
    const owner = p.metadata?.ownerReferences?.find((o) => o.controller)
    if (owner?.kind === 'ReplicaSet') {
      const rs = await call(conn, {verb: 'get', resource: 'replicasets', namespace, name: owner.name}, () => apps.readNamespacedReplicaSet({namespace, name: owner.name}))
      const d = rs.metadata?.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment')
      if (d) workloads.set(`Deployment/${d.name}`, {kind: 'Deployment', name: d.name, namespace})
      else unowned.push(p.metadata!.name!)
    } else if (owner?.kind === 'StatefulSet' || owner?.kind === 'DaemonSet') {
      workloads.set(`${owner.kind}/${owner.name}`, {kind: owner.kind, name: owner.name, namespace})
    } else unowned.push(p.metadata!.name!)
  }
  return {namespace, pods: pods.map((p) => p.metadata!.name!).sort(), workloads: [...workloads.values()], unowned}
}

/** A plan for a named workload (restart istiod / restart aeraki): the Deployment itself and its pods. */
export async function planDeploymentRestart(conn: ClusterConnection, namespace: string, deployment: string): Promise<RestartPlan> {
  const {CoreV1Api, AppsV1Api} = await import('@kubernetes/client-node')
  const d = await call(conn, {verb: 'get', resource: 'deployments', namespace, name: deployment}, () => conn.kc.makeApiClient(AppsV1Api).readNamespacedDeployment({namespace, name: deployment}))
  const selector = Object.entries(d.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')
  const pods = (await call(conn, {verb: 'list', resource: 'pods', namespace}, () => conn.kc.makeApiClient(CoreV1Api).listNamespacedPod({namespace, labelSelector: selector}))).items
  return {namespace, pods: pods.map((p) => p.metadata!.name!).sort(), workloads: [{kind: 'Deployment', name: deployment, namespace}], unowned: []}
}

/** Patches each workload's pod template with restartedAt = now (RFC 3339, as kubectl writes it). */
export async function rolloutRestart(conn: ClusterConnection, plan: RestartPlan, now = new Date()): Promise<string> {
  const at = now.toISOString().replace(/\.\d{3}Z$/, 'Z')
  for (const w of plan.workloads) {
    const body = {apiVersion: 'apps/v1', kind: w.kind, metadata: {name: w.name, namespace: w.namespace}, spec: {template: {metadata: {annotations: {[RESTARTED_AT]: at}}}}}
    const {PatchStrategy} = await import('@kubernetes/client-node')
    const objects = await conn.objects()
    await call(conn, {verb: 'patch', resource: GROUPS[w.kind], namespace: w.namespace, name: w.name},
      () => objects.patch(body as any, undefined, undefined, 'aerakictl', undefined, PatchStrategy.StrategicMergePatch))
  }
  return at
}

/** Deletes the plan's pods with grace period 0 (their controllers create new ones). */
export async function forceDelete(conn: ClusterConnection, plan: RestartPlan): Promise<void> {
  const {CoreV1Api} = await import('@kubernetes/client-node')
  const core = conn.kc.makeApiClient(CoreV1Api)
  for (const name of plan.pods) {
    await call(conn, {verb: 'delete', resource: 'pods', namespace: plan.namespace, name}, () => core.deleteNamespacedPod({namespace: plan.namespace, name, gracePeriodSeconds: 0}))
  }
}
