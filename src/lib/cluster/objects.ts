// Reads what route prediction needs from a live cluster: MetaRouters, DestinationRules, ServiceEntries, Services,
// ApplicationProtocols and the rate limit ConfigMap, as Loaded objects (their source names the cluster object).
import {KubeError} from '../kube/errors.js'
import type {KubeObject, Loaded} from '../resources/types.js'
import {call, type ClusterConnection} from './connect.js'

interface Listed {
  apiVersion: string
  kind: string
  resource: string
  /** Optional: a 404 means the CRD is not installed, which is reported by the caller when it matters. */
  optional: boolean
  fieldSelector?: string
}

const LISTS: Listed[] = [
  {apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', resource: 'metarouters.metaprotocol.aeraki.io', optional: false},
  {apiVersion: 'networking.istio.io/v1alpha3', kind: 'DestinationRule', resource: 'destinationrules.networking.istio.io', optional: false},
  {apiVersion: 'networking.istio.io/v1alpha3', kind: 'ServiceEntry', resource: 'serviceentries.networking.istio.io', optional: true},
  {apiVersion: 'v1', kind: 'Service', resource: 'services', optional: false},
  {apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'ApplicationProtocol', resource: 'applicationprotocols.metaprotocol.aeraki.io', optional: true},
  {apiVersion: 'v1', kind: 'ConfigMap', resource: 'configmaps', optional: true, fieldSelector: 'metadata.name=rate-limit-config'},
]

export interface ClusterObjects {
  objects: Loaded[]
  missingKinds: string[]
}

const PODS: Listed = {apiVersion: 'v1', kind: 'Pod', resource: 'pods', optional: false}

/**
 * Lists across all namespaces (MetaRouters in any namespace can name a host), or one namespace when given.
 * With `pods`, Pods are listed too (for checks on what subsets select).
 */
export async function loadClusterObjects(conn: ClusterConnection, namespace?: string, options: {pods?: boolean} = {}): Promise<ClusterObjects> {
  const objects: Loaded[] = []
  const missingKinds: string[] = []
  const results = await Promise.all([...LISTS, ...(options.pods ? [PODS] : [])].map(async l => {
    try {
      const list = await call(conn, {verb: 'list', resource: l.resource, ...(namespace ? {namespace} : {})}, () =>
        conn.objects.list(l.apiVersion, l.kind, namespace, undefined, undefined, undefined, l.fieldSelector))
      return {l, items: (list.items ?? []) as KubeObject[]}
    } catch (e) {
      if (e instanceof KubeError && e.kind === 'not-found') {
        if (!l.optional) missingKinds.push(`${l.kind} (${l.resource})`)
        return {l, items: []}
      }
      throw e
    }
  }))
  for (const {l, items} of results) {
    for (const obj of items) {
      const item = {...obj, apiVersion: obj.apiVersion ?? l.apiVersion, kind: obj.kind ?? l.kind}
      const ns = item.metadata?.namespace
      objects.push({obj: item, source: {file: `cluster:${l.kind}/${ns ? `${ns}/` : ''}${item.metadata?.name}`, doc: 0, line: 1, column: 1}})
    }
  }
  return {objects, missingKinds}
}

/** Connects, lists, and disconnects: what a command needs when it only reads the routing objects once. */
export async function readLiveObjects(flags: {kubeconfig?: string; context?: string; namespace?: string}, options: {pods?: boolean} = {}): Promise<ClusterObjects & {namespace: string}> {
  const {connect} = await import('./connect.js')
  const conn = await connect(flags)
  try {
    return {...(await loadClusterObjects(conn, undefined, options)), namespace: conn.namespace}
  } finally {
    conn.close()
  }
}
