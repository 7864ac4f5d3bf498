// Listing and finding pods: by `[KIND/]NAME` (see pod-target.ts: pod/NAME, deploy/NAME, an exact pod name, else a
// part of pod names as aerakictl.sh's `kubectl get pods | grep APP`) and/or a label selector; errors list what exists.
import type {KubeObject} from '../resources/types.js'
import type {KubeClient} from './client.js'
import {listPages, objectPath} from '../cluster/objects.js'
import {KubeError} from './errors.js'
import {describeTarget, matchPodNames, noPodMessage, parsePodTarget, pickPod, selectorOf, type PodTarget} from './pod-target.js'
import {byName} from './order.js'

export interface PodQuery {
  namespace?: string
  /** `[KIND/]NAME`: pod/NAME, deploy/NAME (svc, sts, ds, rs, job), a full pod name, or a part of pod names (`client`). */
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

// The pods as the server sent them (JSON, in chunks as kubectl reads them), not through client-node's typed models:
// the commands that read pods most (sidecar-config, app-log) then never load the generated API (client-node-core.ts).
export async function listPods(kube: KubeClient, q: PodQuery = {}): Promise<PodSummary[]> {
  const namespace = q.namespace ?? kube.namespace
  const pods: PodSummary[] = []
  await listPages(kube, {apiVersion: 'v1', plural: 'pods', resource: 'pods'}, namespace, {
    labelSelector: q.selector,
    onItems: (items, restart) => {
      if (restart) pods.length = 0
      for (const p of items) pods.push(summarizePod(p))
    },
  })
  return pods.sort((a, b) => byName(a.name, b.name))
}

/** The label selector a `deploy/NAME`-style target stands for, read from the cluster; an error when it has none. */
export async function resourceSelector(kube: KubeClient, namespace: string, t: Extract<PodTarget, {by: 'resource'}>): Promise<string> {
  const obj = await kube.getJson({verb: 'get', resource: t.resource.resource, namespace, name: t.name}, objectPath(t.resource.apiVersion, t.resource.resource.split('.')[0], namespace, t.name))
  const selector = selectorOf(obj, t.resource.kind)
  if (!selector) throw new KubeError('invalid', `${t.resource.kind} ${namespace}/${t.name} has no selector: it selects no pods`)
  return selector
}

interface Found {namespace: string; wanted: string; running: boolean; all: PodSummary[]; hits: PodSummary[]}

async function find(kube: KubeClient, q: PodQuery): Promise<Found> {
  const namespace = q.namespace ?? kube.namespace
  const target = q.app ? parsePodTarget(q.app) : undefined
  let selector = q.selector
  if (target?.by === 'resource') {
    const s = await resourceSelector(kube, namespace, target)
    selector = selector ? `${s},${selector}` : s
  }
  const all = await listPods(kube, {namespace, selector})
  const names = new Set(target ? matchPodNames(target, all.map((p) => p.name)) : all.map((p) => p.name))
  const hits = all.filter((p) => names.has(p.name) && (!q.runningOnly || p.phase === 'Running'))
  const wanted = target ? describeTarget(target, q.selector) : q.selector ? `selector ${q.selector}` : 'any pod'
  return {namespace, wanted, running: Boolean(q.runningOnly), all, hits}
}

/** Pods the target and/or selector pick, sorted by name. Empty when nothing matches. */
export async function findPods(kube: KubeClient, q: PodQuery): Promise<PodSummary[]> {
  return (await find(kube, q)).hits
}

/** One pod: the exact name, else the first match by name preferring running pods; an error naming what exists. */
export async function findPod(kube: KubeClient, q: PodQuery): Promise<PodSummary> {
  const f = await find(kube, q)
  const pod = pickPod(f.hits)
  if (pod) return pod
  throw new KubeError('not-found', noPodMessage(f.namespace, f.wanted, f.all.map((p) => p.name), f.running), 404)
}
