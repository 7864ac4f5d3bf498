// Sidecar injection, as Istio's injection webhook does it for pods in `istio-injection=enabled` namespaces
// (istio/istio pkg/kube/inject/webhook.go): the istio-proxy container, its status annotation and canonical labels.
import type {Cluster, ResourceType} from '@aerakictl/kube-emulator'
import type {KubeObject} from '../resources/types.js'

export const DEFAULT_PROXY_IMAGE = 'docker.io/istio/proxyv2:1.20.8'

export function sidecarInjector(cluster: Cluster): (t: ResourceType, obj: KubeObject, old?: KubeObject) => void {
  return (t, pod, old) => {
    if (old || t.group !== '' || t.plural !== 'pods') return
    const md = pod.metadata!
    const spec: any = pod.spec ?? {}
    const ns = cluster.find(cluster.type('', 'namespaces'), undefined, md.namespace!)
    const optOut = md.annotations?.['sidecar.istio.io/inject'] === 'false' || md.labels?.['sidecar.istio.io/inject'] === 'false'
    if (ns?.metadata?.labels?.['istio-injection'] !== 'enabled' || optOut || spec.containers?.some((c: any) => c.name === 'istio-proxy')) return
    const labels = md.labels ??= {}
    const annotations = md.annotations ??= {}
    const app = spec.containers?.[0]?.name
    spec.containers = [...(spec.containers ?? []), {
      name: 'istio-proxy', image: annotations['sidecar.istio.io/proxyImage'] ?? DEFAULT_PROXY_IMAGE,
      args: ['proxy', 'sidecar', '--domain', `${md.namespace}.svc.cluster.local`, '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
      ports: [{containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP'}],
      readinessProbe: {httpGet: {path: '/healthz/ready', port: 15021}},
    }]
    if (app) annotations['kubectl.kubernetes.io/default-container'] = app
    annotations['sidecar.istio.io/status'] = JSON.stringify({initContainers: ['istio-init'], containers: ['istio-proxy'], volumes: ['istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'], imagePullSecrets: null})
    labels['security.istio.io/tlsMode'] = 'istio'
    labels['service.istio.io/canonical-name'] ??= labels.app ?? md.name!
    labels['service.istio.io/canonical-revision'] ??= labels.version ?? 'latest'
    pod.spec = spec
  }
}
