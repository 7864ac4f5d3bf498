// Reads what route prediction needs from a live cluster: MetaRouters, DestinationRules, ServiceEntries, Services,
// ApplicationProtocols and the rate limit ConfigMap, as Loaded objects (their source names the cluster object).
import type {KubeClient} from '../kube/client.js'
import {KubeError} from '../kube/errors.js'
import type {KubeObject, Loaded} from '../resources/types.js'

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

/** Kinds loadClusterObjects lists completely (the ConfigMap list is filtered by name), so absence means absent. */
export const COMPLETELY_LISTED_KINDS: ReadonlySet<string> = new Set(LISTS.filter(l => !l.fieldSelector).map(l => l.kind))

export interface ClusterObjects {
  objects: Loaded[]
  missingKinds: string[]
}

const PODS: Listed = {apiVersion: 'v1', kind: 'Pod', resource: 'pods', optional: false}

export interface LoadOptions {
  /** Also list Pods (for checks on what subsets select). */
  pods?: boolean
  /** Only these kinds (default: all of the routing kinds and the rate limit ConfigMap). */
  kinds?: string[]
  /** When a cluster-wide list of a namespaced kind is forbidden, list this namespace instead (and say so). */
  fallbackNamespace?: string
  /** Where kinds the cluster does not serve and namespace fallbacks are reported. */
  onNote?: (line: string) => void
}

/**
 * Lists across all namespaces (MetaRouters in any namespace can name a host), or one namespace when given.
 * A kind the cluster does not serve (CRD not installed) counts as empty; required ones are named in missingKinds.
 */
export async function loadClusterObjects(kube: KubeClient, namespace?: string, options: LoadOptions = {}): Promise<ClusterObjects> {
  const {KubernetesObjectApi} = await import('@kubernetes/client-node')
  const note = options.onNote ?? (() => {})
  const list = async (l: Listed, ns: string | undefined): Promise<KubeObject[]> => {
    const body = await kube.run({verb: 'list', resource: l.resource, ...(ns ? {namespace: ns} : {})}, kc =>
      KubernetesObjectApi.makeApiClient(kc).list(l.apiVersion, l.kind, ns, undefined, undefined, undefined, l.fieldSelector))
    return (body.items ?? []) as KubeObject[]
  }
  const objects: Loaded[] = []
  const missingKinds: string[] = []
  const wanted = [...LISTS, ...(options.pods ? [PODS] : [])].filter(l => !options.kinds || options.kinds.includes(l.kind))
  const results = await Promise.all(wanted.map(async l => {
    try {
      return {l, items: await list(l, namespace)}
    } catch (e) {
      if (e instanceof KubeError && e.kind === 'not-found') {
        note(`${l.resource} are not served by this cluster (CRD not installed); treated as none.`)
        if (!l.optional) missingKinds.push(`${l.kind} (${l.resource})`)
        return {l, items: []}
      }
      // ApplicationProtocols are cluster-scoped: there is no namespace to fall back to.
      if (!(e instanceof KubeError && e.kind === 'forbidden' && options.fallbackNamespace && !namespace && l.kind !== 'ApplicationProtocol')) throw e
      note(`cannot list ${l.resource} in all namespaces; using those in ${options.fallbackNamespace} only.`)
      return {l, items: await list(l, options.fallbackNamespace)}
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
export async function readLiveObjects(flags: {kubeconfig?: string; context?: string; namespace?: string}, options: LoadOptions = {}): Promise<ClusterObjects & {namespace: string}> {
  const {KubeClient} = await import('../kube/client.js')
  const kube = KubeClient.create(flags)
  return {...(await loadClusterObjects(kube, undefined, options)), namespace: kube.namespace}
}
