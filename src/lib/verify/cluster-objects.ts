// The objects Aeraki translates, read from the cluster: MetaRouters, DestinationRules, Services,
// ServiceEntries and ApplicationProtocols in every namespace (a client gets routes for services anywhere).
// A 403 on a cluster-wide list falls back to the pod's namespace; a CRD that is not installed counts as empty.
import type {KubeClient} from '../kube/client.js'
import {KubeError} from '../kube/errors.js'
import type {KubeObject, Loaded} from '../resources/types.js'
import {asLoaded} from '../routing/world.js'

interface Kind {
  group: string
  version: string
  plural: string
  kind: string
  namespaced: boolean
}

const KINDS: Kind[] = [
  {group: 'metaprotocol.aeraki.io', version: 'v1alpha1', plural: 'metarouters', kind: 'MetaRouter', namespaced: true},
  {group: 'networking.istio.io', version: 'v1beta1', plural: 'destinationrules', kind: 'DestinationRule', namespaced: true},
  {group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true},
  {group: 'networking.istio.io', version: 'v1beta1', plural: 'serviceentries', kind: 'ServiceEntry', namespaced: true},
  {group: 'metaprotocol.aeraki.io', version: 'v1alpha1', plural: 'applicationprotocols', kind: 'ApplicationProtocol', namespaced: false},
]

function resourceOf(k: Kind): string {
  return k.group === '' ? k.plural : `${k.plural}.${k.group}`
}

async function list(kube: KubeClient, k: Kind, namespace?: string): Promise<KubeObject[]> {
  const {KubernetesObjectApi} = await import('@kubernetes/client-node')
  const apiVersion = k.group ? `${k.group}/${k.version}` : k.version
  const body = (await kube.run({verb: 'list', resource: resourceOf(k), namespace}, kc => KubernetesObjectApi.makeApiClient(kc).list(apiVersion, k.kind, namespace))) as unknown as {items?: KubeObject[]}
  // List items of built-in types come without apiVersion and kind.
  return (body.items ?? []).map((o) => ({...o, apiVersion: o.apiVersion ?? (k.group ? `${k.group}/${k.version}` : k.version), kind: o.kind ?? k.kind}))
}

export async function readRoutingObjects(kube: KubeClient, namespace: string, note: (line: string) => void = () => {}): Promise<Loaded[]> {
  const out: Loaded[] = []
  for (const k of KINDS) {
    let items: KubeObject[]
    try {
      items = await list(kube, k)
    } catch (e) {
      if (e instanceof KubeError && e.kind === 'not-found') {
        note(`${resourceOf(k)} are not served by this cluster (CRD not installed); treated as none.`)
        continue
      }
      if (!(e instanceof KubeError && e.kind === 'forbidden' && k.namespaced)) throw e
      note(`cannot list ${resourceOf(k)} in all namespaces; using those in ${namespace} only.`)
      items = await list(kube, k, namespace)
    }
    for (const o of items) out.push(asLoaded(o, `cluster ${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? ''}`))
  }
  return out
}
