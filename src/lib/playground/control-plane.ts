// istiod and Aeraki in the playground. istiod's discovery container serves its debug endpoints on the monitoring
// port 15014 (istio/istio pilot/pkg/xds/debug.go: configz, registryz, endpointz, instancesz, adsz, syncz,
// push_status, list), by port-forward and by exec `pilot-discovery request GET debug/…` or curl, computed from
// the objects stored right now; both write log lines as they work: istiod on proxy connections and pushes, Aeraki
// when a MetaRouter (or what its routes read) changes and it pushes MetaProtocol routes.
import type {Cluster, ContainerBehaviour, ExecIo, HttpResponse} from '@aerakictl/kube-emulator'
import type {KubeObject} from '../resources/types.js'
import {backendPods, routingView} from './demo.js'

const ISTIO_GROUPS = new Set(['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'metaprotocol.aeraki.io', 'redis.aeraki.io', 'dubbo.aeraki.io'])
const VERSION = '1.20.8'
const running = (p: KubeObject) => (p.status as any)?.phase === 'Running' && (p.status as any)?.podIP

function hasProxy(p: KubeObject): boolean {
  return ((p.spec as any)?.containers ?? []).some((c: any) => c.name === 'istio-proxy')
}

function proxyId(p: KubeObject): string {
  const ns = p.metadata!.namespace!
  const kind = p.metadata?.labels?.istio === 'ingressgateway' ? 'router' : 'sidecar'
  return `${kind}~${(p.status as any)?.podIP ?? ''}~${p.metadata!.name}.${ns}~${ns}.svc.cluster.local`
}

function proxies(cluster: Cluster): KubeObject[] {
  return cluster.list(cluster.type('', 'pods')).filter((p) => running(p) && hasProxy(p) && !p.metadata?.deletionTimestamp)
    .sort((a, b) => proxyId(a).localeCompare(proxyId(b)))
}

function configz(cluster: Cluster): unknown[] {
  const out: unknown[] = []
  for (const t of cluster.registry.all()) {
    if (!ISTIO_GROUPS.has(t.group)) continue
    for (const o of cluster.list(t)) {
      const v = cluster.view(t, o)
      out.push({kind: v.kind, apiVersion: v.apiVersion, metadata: {name: v.metadata?.name, namespace: v.metadata?.namespace, resourceVersion: v.metadata?.resourceVersion, creationTimestamp: v.metadata?.creationTimestamp}, spec: v.spec})
    }
  }
  return out
}

interface RegistryService {hostname: string; namespace: string; registry: string; address: string; ports: Array<{name: string; port: number; protocol: string; targetPort?: number}>; selector?: Record<string, string>}

function protocolOf(name: string): string {
  const p = (name ?? '').split('-')[0].toLowerCase()
  return ({grpc: 'GRPC', http: 'HTTP', http2: 'HTTP2', https: 'HTTPS', tcp: 'TCP', tls: 'TLS', mongo: 'Mongo', redis: 'Redis', thrift: 'Thrift', dubbo: 'Dubbo'} as Record<string, string>)[p] ?? 'UnsupportedProtocol'
}

function registry(cluster: Cluster): RegistryService[] {
  const out: RegistryService[] = []
  for (const s of cluster.list(cluster.type('', 'services'))) {
    out.push({
      hostname: `${s.metadata!.name}.${s.metadata!.namespace}.svc.cluster.local`, namespace: s.metadata!.namespace!, registry: 'Kubernetes', address: s.spec?.clusterIP ?? '',
      ports: (s.spec?.ports ?? []).map((p: any) => ({name: p.name ?? '', port: p.port, protocol: protocolOf(p.name), targetPort: typeof p.targetPort === 'number' ? p.targetPort : p.port})), selector: s.spec?.selector,
    })
  }
  const se = cluster.registry.byKey('networking.istio.io/serviceentries')
  if (se) {
    for (const e of cluster.list(se)) {
      for (const host of e.spec?.hosts ?? []) {
        out.push({hostname: host, namespace: e.metadata!.namespace!, registry: 'External', address: e.spec?.addresses?.[0] ?? '0.0.0.0',
          ports: (e.spec?.ports ?? []).map((p: any) => ({name: p.name ?? '', port: p.number, protocol: p.protocol ?? protocolOf(p.name), targetPort: p.targetPort ?? p.number})), selector: e.spec?.workloadSelector?.labels})
      }
    }
  }
  return out.sort((a, b) => a.hostname.localeCompare(b.hostname))
}

/** How many services registry() lists (one per Service, one per ServiceEntry host), without building them: istiod's
 * push log line names this count on every change, and a playground with thousands of services must not rebuild and
 * sort the registry for each of them. */
function registrySize(cluster: Cluster): number {
  const se = cluster.registry.byKey('networking.istio.io/serviceentries')
  let n = cluster.count(cluster.type('', 'services'))
  if (se) for (const e of cluster.list(se)) n += (e.spec?.hosts ?? []).length
  return n
}

function serviceJson(s: RegistryService) {
  return {Attributes: {ServiceRegistry: s.registry, Name: s.hostname.split('.')[0], Namespace: s.namespace}, ports: s.ports.map(({name, port, protocol}) => ({name, port, protocol})),
    hostname: s.hostname, address: s.address, clusterVIPs: {Addresses: {Kubernetes: [s.address]}}, Resolution: 0, MeshExternal: s.registry === 'External'}
}

function instances(cluster: Cluster): Array<{pod: KubeObject; json: unknown}> {
  const view = routingView(cluster)
  const out: Array<{pod: KubeObject; json: unknown}> = []
  for (const s of registry(cluster)) {
    const pods = backendPods(cluster, [...view.objects, ...cluster.list(cluster.type('', 'services')).map((o) => ({...o, kind: 'Service'}))], s.hostname)
    for (const p of s.ports) {
      for (const pod of pods) {
        out.push({pod, json: {Service: serviceJson(s), ServicePort: {name: p.name, port: p.port, protocol: p.protocol},
          Endpoint: {Labels: pod.metadata?.labels ?? {}, Address: (pod.status as any).podIP, ServicePortName: p.name, ServiceAccount: `spiffe://cluster.local/ns/${pod.metadata!.namespace}/sa/${(pod.spec as any)?.serviceAccountName ?? 'default'}`, EndpointPort: p.targetPort ?? p.port, HealthStatus: 1}}})
      }
    }
  }
  return out
}

/** A push version per state of the routing objects: what every proxy was last sent and acknowledged. */
function nonce(cluster: Cluster): string {
  return `${Math.floor(routingView(cluster).changedAt.getTime() / 1000)}`
}

function adsz(cluster: Cluster) {
  const ps = proxies(cluster)
  return {totalClients: ps.length, clients: ps.map((p, i) => ({
    connectionId: `${proxyId(p)}-${i + 1}`, connectedAt: (p.status as any)?.startTime ?? p.metadata?.creationTimestamp, address: `${(p.status as any).podIP}:${40000 + i}`,
    labels: p.metadata?.labels ?? {}, metadata: {POD_NAME: p.metadata!.name, NAMESPACE: p.metadata!.namespace, ISTIO_VERSION: VERSION, CLUSTER_ID: 'Kubernetes'},
    watches: {'type.googleapis.com/envoy.config.cluster.v3.Cluster': [], 'type.googleapis.com/envoy.config.listener.v3.Listener': []},
  }))}
}

function syncz(cluster: Cluster) {
  const n = nonce(cluster)
  return proxies(cluster).map((p) => ({
    cluster_id: 'Kubernetes', proxy: proxyId(p), proxy_type: proxyId(p).split('~')[0], proxy_version: VERSION, istio_version: VERSION,
    cluster_sent: n, cluster_acked: n, listener_sent: n, listener_acked: n, route_sent: n, route_acked: n, endpoint_sent: n, endpoint_acked: n,
  }))
}

const ENDPOINTS = ['adsz', 'configz', 'endpointz', 'instancesz', 'list', 'push_status', 'registryz', 'syncz']

export function istiodDebug(cluster: Cluster, rawPath: string): HttpResponse {
  const [path] = (rawPath.startsWith('/') ? rawPath : `/${rawPath}`).split('?')
  const json = (v: unknown): HttpResponse => ({status: 200, contentType: 'application/json', body: `${JSON.stringify(v, null, 2)}\n`})
  switch (path) {
    case '/debug/list': return json(ENDPOINTS.map((e) => `/debug/${e}`))
    case '/debug/configz': return json(configz(cluster))
    case '/debug/registryz': return json(registry(cluster).map(serviceJson))
    case '/debug/endpointz': return json(instances(cluster).map((i) => i.json))
    case '/debug/instancesz': {
      const by: Record<string, unknown[]> = {}
      const ids = new Map(proxies(cluster).map((p) => [`${p.metadata!.namespace}/${p.metadata!.name}`, proxyId(p)]))
      for (const i of instances(cluster)) {
        const id = ids.get(`${i.pod.metadata!.namespace}/${i.pod.metadata!.name}`)
        if (id) (by[id] ??= []).push(i.json)
      }
      return json(by)
    }
    case '/debug/adsz': return json(adsz(cluster))
    case '/debug/syncz': return json(syncz(cluster))
    case '/debug/push_status': return json({time: routingView(cluster).changedAt.toISOString(), version: nonce(cluster), proxies: proxies(cluster).length})
    case '/ready': return {status: 200, contentType: 'text/plain', body: ''}
    default: return {status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n'}
  }
}

function debugCommand(cluster: Cluster, path: string, io: ExecIo): number {
  const r = istiodDebug(cluster, path)
  io.out(r.body)
  return r.status === 200 ? 0 : 1
}

const ts = () => new Date().toISOString().replace(/Z$/, '000Z')
const ROUTING = new Set(['metaprotocol.aeraki.io/metarouters', 'networking.istio.io/destinationrules', 'networking.istio.io/serviceentries', '/services'])

/** Calls `onChange` for each stored change of a routing object or a proxy pod; returns the unsubscribe. */
function onMeshEvents(cluster: Cluster, onChange: (ev: {type: string; key: string; obj: KubeObject}) => void): () => void {
  const listener = (ev: {type: string; key: string; obj: KubeObject}) => { if (ROUTING.has(ev.key) || ev.key === '/pods') onChange(ev) }
  cluster.store.on('event', listener)
  return () => cluster.store.off('event', listener)
}

/** istiod's discovery container. */
export function istiodBehaviour(cluster: Cluster): ContainerBehaviour {
  return {
    exec: {
      'pilot-discovery': (argv, io) => {
        if (argv[1] !== 'request' || !argv[2] || !argv[3]) { io.err('Error: requires at least 2 arg(s), only received 0\nUsage:\n  pilot-discovery request <method> <path> [<body>] [flags]\n'); return 1 }
        if (argv[2].toUpperCase() !== 'GET') { io.err(`playground: only GET is emulated, not ${argv[2]}\n`); return 1 }
        return debugCommand(cluster, argv[3], io)
      },
      curl: (argv, io) => {
        const url = argv.slice(1).find((a) => /^(https?:\/\/)?(127\.0\.0\.1|localhost):15014(\/|$)/.test(a))
        if (!url) { io.err('curl: (7) Failed to connect: Connection refused\n'); return 7 }
        return debugCommand(cluster, url.replace(/^(https?:\/\/)?[^/]+/, '') || '/', io)
      },
    },
    port(port) {
      if (port !== 15014) return undefined
      return (req) => req.method === 'GET' ? istiodDebug(cluster, req.target) : {status: 405, contentType: 'text/plain', body: 'method not allowed\n'}
    },
    run(log) {
      log(`${ts()}\tinfo\tstarting discovery service`)
      log(`${ts()}\tinfo\tads\tAll caches have been synced up in 1.2s, marking server ready`)
      const connected = new Set<string>()
      for (const p of proxies(cluster)) { connected.add(proxyId(p)); log(`${ts()}\tinfo\tads\tADS: new connection for node:${proxyId(p)}-${connected.size}`) }
      let version = 0
      return onMeshEvents(cluster, (ev) => {
        if (ev.key === '/pods') {
          const p = ev.obj
          if (!hasProxy(p)) return
          const id = proxyId(p)
          if (ev.type === 'DELETED' || p.metadata?.deletionTimestamp) {
            if (connected.delete(id)) log(`${ts()}\tinfo\tads\tADS: "${(p.status as any)?.podIP}:0" ${id} terminated`)
          } else if (running(p) && !connected.has(id)) {
            connected.add(id)
            log(`${ts()}\tinfo\tads\tADS: new connection for node:${id}-${connected.size}`)
            log(`${ts()}\tinfo\tads\tCDS: PUSH request for node:${p.metadata!.name}.${p.metadata!.namespace} resources:0 size:0B`)
          }
          return
        }
        version++
        const kind = ev.obj.kind ?? ev.key.split('/')[1]
        log(`${ts()}\tinfo\tads\tPush debounce stable[${version}] 1 for config ${kind}/${ev.obj.metadata?.namespace}/${ev.obj.metadata?.name}: 100.2ms since last change, 100.2ms since last push, full=true`)
        log(`${ts()}\tinfo\tads\tXDS: Pushing Services:${registrySize(cluster)} ConnectedEndpoints:${connected.size} Version:${new Date().toISOString()}/${version}`)
      })
    },
  }
}

/** Aeraki's container: on each MetaRouter change (or of what it reads) a log of the change and the push. */
export function aerakiBehaviour(cluster: Cluster): ContainerBehaviour {
  return {
    run(log) {
      log(`${ts()}\tinfo\tStarting Aeraki ...`)
      log(`${ts()}\tinfo\txds\tstarting xds server at :15010`)
      return onMeshEvents(cluster, (ev) => {
        if (ev.key === '/pods' || ev.key === '/services') return
        const kind = ev.obj.kind ?? ev.key.split('/')[1]
        const name = `${ev.obj.metadata?.namespace}/${ev.obj.metadata?.name}`
        log(`${ts()}\tinfo\tcontroller\tconfig changed: ${ev.type} ${kind} ${name}`)
        if (kind === 'MetaRouter' || ev.key === 'metaprotocol.aeraki.io/metarouters') {
          for (const host of ev.obj.spec?.hosts ?? []) log(`${ts()}\tinfo\txds\tpush MetaProtocol route ${host} for MetaRouter ${name} (${ev.type}) at ${new Date().toISOString()}`)
        }
      })
    },
  }
}
