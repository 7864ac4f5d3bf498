// What the playground adds to the emulator's base cluster unless --bare: what an Istio + Aeraki install leaves
// behind (the CRDs the demo needs and istiod/aeraki in istio-system).
import type {Cluster} from '@aerakictl/kube-emulator'
import type {KubeObject} from '../resources/types.js'

type PrinterColumn = {name: string; type: string; jsonPath: string; description: string}
const AGE: PrinterColumn = {name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'CreationTimestamp of the object'}

function crd(group: string, kind: string, plural: string, versions: string[], scope: 'Namespaced' | 'Cluster', shortNames: string[] = [], categories: string[] = [], columns: PrinterColumn[] = []): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: {name: `${plural}.${group}`, labels: group.includes('aeraki') ? {app: 'aeraki'} : {app: 'istio-pilot'}},
    spec: {
      group, scope,
      names: {kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), ...(shortNames.length ? {shortNames} : {}), ...(categories.length ? {categories} : {})},
      versions: versions.map((name, i) => ({
        name, served: true, storage: i === 0, subresources: {status: {}}, ...(columns.length ? {additionalPrinterColumns: [...columns, AGE]} : {}),
        schema: {openAPIV3Schema: {type: 'object', properties: {spec: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}, status: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}}}},
      })),
    },
  }
}

export const MESH_CRDS: KubeObject[] = [
  // Printer columns as in Istio's own CRDs.
  crd('networking.istio.io', 'DestinationRule', 'destinationrules', ['v1alpha3', 'v1beta1'], 'Namespaced', ['dr'], ['istio-io', 'networking-istio-io'],
    [{name: 'Host', type: 'string', jsonPath: '.spec.host', description: 'The name of a service from the service registry'}]),
  crd('networking.istio.io', 'ServiceEntry', 'serviceentries', ['v1alpha3', 'v1beta1'], 'Namespaced', ['se'], ['istio-io', 'networking-istio-io'], [
    {name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The hosts associated with the ServiceEntry'},
    {name: 'Location', type: 'string', jsonPath: '.spec.location', description: 'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)'},
    {name: 'Resolution', type: 'string', jsonPath: '.spec.resolution', description: 'Service resolution mode for the hosts (NONE, STATIC, or DNS)'},
  ]),
  crd('metaprotocol.aeraki.io', 'MetaRouter', 'metarouters', ['v1alpha1'], 'Namespaced', [], ['aeraki-io', 'metaprotocol-aeraki-io']),
  crd('metaprotocol.aeraki.io', 'ApplicationProtocol', 'applicationprotocols', ['v1alpha1'], 'Cluster', [], ['aeraki-io', 'metaprotocol-aeraki-io']),
]

function deployment(ns: string, name: string, image: string, labels: Record<string, string>, port: number): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name, namespace: ns, labels},
    spec: {replicas: 1, selector: {matchLabels: labels}, template: {metadata: {labels}, spec: {containers: [{name: name === 'istiod' ? 'discovery' : name, image, ports: [{containerPort: port}]}]}}},
  }
}

/** What an Istio + Aeraki install leaves behind: the CRDs the demo needs, istiod/aeraki and the ingress gateway in istio-system. */
export function seedMesh(cluster: Cluster): void {
  const ns = cluster.type('', 'namespaces')
  const crds = cluster.type('apiextensions.k8s.io', 'customresourcedefinitions')
  for (const c of MESH_CRDS) cluster.create(crds, undefined, c)
  cluster.create(ns, undefined, {metadata: {name: 'istio-system'}})
  const deploy = cluster.type('apps', 'deployments')
  const svc = cluster.type('', 'services')
  cluster.create(deploy, 'istio-system', deployment('istio-system', 'istiod', 'docker.io/istio/pilot:1.20.8', {app: 'istiod', istio: 'pilot'}, 15010))
  cluster.create(svc, 'istio-system', {metadata: {name: 'istiod', labels: {app: 'istiod'}}, spec: {selector: {app: 'istiod'}, ports: [{name: 'grpc-xds', port: 15010}, {name: 'https-dns', port: 15012}, {name: 'https-webhook', port: 443, targetPort: 15017}, {name: 'http-monitoring', port: 15014}]}})
  cluster.create(deploy, 'istio-system', deployment('istio-system', 'aeraki', 'ghcr.io/aeraki-mesh/aeraki:1.4.2', {app: 'aeraki'}, 15010))
  cluster.create(svc, 'istio-system', {metadata: {name: 'aeraki', labels: {app: 'aeraki'}}, spec: {selector: {app: 'aeraki'}, ports: [{name: 'grpc-xds', port: 15010}, {name: 'https-validation', port: 443, targetPort: 15017}]}})
  // The default profile's ingress gateway: a pod whose only container is the proxy (proxyv2 in router mode).
  const gw = {app: 'istio-ingressgateway', istio: 'ingressgateway'}
  cluster.create(deploy, 'istio-system', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'istio-ingressgateway', namespace: 'istio-system', labels: gw},
    spec: {replicas: 1, selector: {matchLabels: gw}, template: {metadata: {labels: gw, annotations: {'sidecar.istio.io/inject': 'false'}}, spec: {containers: [{
      name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.20.8', args: ['proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local'],
      ports: [{containerPort: 15021, name: 'status-port'}, {containerPort: 8080, name: 'http2'}, {containerPort: 8443, name: 'https'}, {containerPort: 15090, name: 'http-envoy-prom'}],
    }]}}},
  })
  cluster.create(svc, 'istio-system', {metadata: {name: 'istio-ingressgateway', labels: gw}, spec: {type: 'LoadBalancer', selector: gw, ports: [{name: 'status-port', port: 15021}, {name: 'http2', port: 80, targetPort: 8080}, {name: 'https', port: 443, targetPort: 8443}]}})
}
