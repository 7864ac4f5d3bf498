// APP as `deploy/NAME` (stern's `<resource>/<name>`, parsed by kube/pod-target.ts): the pods are those the resource
// selects, found through its selector (spec.selector.matchLabels/matchExpressions, or a Service's spec.selector).
import type {ClusterConnection} from '../cluster/connect.js'
import {call} from '../cluster/connect.js'
import {selectorOf, type PodTarget} from '../kube/pod-target.js'

/** The label selector of the resource, in kubectl's syntax (a=b,c in (d,e),!f). */
export async function resourceSelector(conn: ClusterConnection, namespace: string, q: Extract<PodTarget, {by: 'resource'}>): Promise<string> {
  const obj: any = await call(conn, {verb: 'get', resource: q.resource.resource, namespace, name: q.name},
    () => conn.objects.read({apiVersion: q.resource.apiVersion, kind: q.resource.kind, metadata: {name: q.name, namespace}}))
  return selectorOf(obj, q.resource.kind)
}
