// APP as `deploy/NAME` (stern's `<resource>/<name>`): the pods are those the resource selects, found through
// its selector (spec.selector.matchLabels/matchExpressions, or a Service's spec.selector).
import type {ClusterConnection} from '../cluster/connect.js'
import {call} from '../cluster/connect.js'

interface Kind {
  apiVersion: string
  kind: string
  resource: string
}

const KINDS: Record<string, Kind> = {}
for (const [names, k] of [
  [['deploy', 'deployment', 'deployments'], {apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments.apps'}],
  [['rs', 'replicaset', 'replicasets'], {apiVersion: 'apps/v1', kind: 'ReplicaSet', resource: 'replicasets.apps'}],
  [['sts', 'statefulset', 'statefulsets'], {apiVersion: 'apps/v1', kind: 'StatefulSet', resource: 'statefulsets.apps'}],
  [['ds', 'daemonset', 'daemonsets'], {apiVersion: 'apps/v1', kind: 'DaemonSet', resource: 'daemonsets.apps'}],
  [['job', 'jobs'], {apiVersion: 'batch/v1', kind: 'Job', resource: 'jobs.batch'}],
  [['svc', 'service', 'services'], {apiVersion: 'v1', kind: 'Service', resource: 'services'}],
] as Array<[string[], Kind]>) for (const n of names) KINDS[n] = k

export interface ResourceQuery extends Kind {
  name: string
}

export function parseResourceQuery(app: string | undefined): ResourceQuery | undefined {
  const m = app ? /^([a-z]+)\/([a-z0-9][-a-z0-9.]*)$/.exec(app) : null
  const kind = m ? KINDS[m[1]] : undefined
  return kind ? {...kind, name: m![2]} : undefined
}

/** The label selector of the resource, in kubectl's syntax (a=b,c in (d,e),!f). */
export async function resourceSelector(conn: ClusterConnection, namespace: string, q: ResourceQuery): Promise<string> {
  const obj: any = await call(conn, {verb: 'get', resource: q.resource, namespace, name: q.name},
    () => conn.objects.read({apiVersion: q.apiVersion, kind: q.kind, metadata: {name: q.name, namespace}}))
  const sel = q.kind === 'Service' ? {matchLabels: obj.spec?.selector} : obj.spec?.selector ?? {}
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`)
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',')
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`)
    else if (e.operator === 'Exists') parts.push(e.key)
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  return parts.join(',')
}
