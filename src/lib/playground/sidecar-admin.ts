// The istio-proxy admin interface (port 15000) of an emulated sidecar: /config_dump generated from the
// objects stored right now, plus the few other paths debugging scripts touch.
import {matchesMap, type Cluster, type ContainerBehaviour, type ExecIo, type HttpResponse} from '@aerakictl/kube-emulator'
import type {KubeObject} from '../resources/types.js'
import {parseMetaProtocolPortName, serviceFqdn} from '../routing/names.js'
import {backendPods, routingView, subsetLabels} from './demo.js'
import type {DumpService} from './routing-bridge.js'
import {statsPrometheus, statsText} from './traffic.js'

/** Aeraki gives a ServiceEntry without addresses a VIP from 240.240.0.0/16; a stable hash of the host stands in. */
function aerakiVip(host: string): string {
  let h = 2166136261
  for (const ch of host) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0
  return `240.240.${(h >>> 8) & 0xff}.${Math.max(1, h & 0xff)}`
}

export function meshServices(objects: KubeObject[]): DumpService[] {
  const out: DumpService[] = []
  for (const o of objects) {
    if (o.kind === 'Service') {
      for (const p of o.spec?.ports ?? []) {
        const m = parseMetaProtocolPortName(p.name)
        if (m.kind === 'metaprotocol') out.push({host: serviceFqdn(o.metadata!.name!, o.metadata!.namespace!), port: p.port, clusterIp: o.spec?.clusterIP ?? '', applicationProtocol: m.applicationProtocol})
      }
    } else if (o.kind === 'ServiceEntry') {
      for (const p of o.spec?.ports ?? []) {
        const m = parseMetaProtocolPortName(p.name)
        if (m.kind === 'metaprotocol') for (const host of o.spec?.hosts ?? []) out.push({host, port: p.number, clusterIp: o.spec?.addresses?.[0] ?? aerakiVip(host), applicationProtocol: m.applicationProtocol})
      }
    }
  }
  return out
}

/** Endpoints per outbound cluster (`outbound|port|subset|host`), as `?include_eds` adds them. */
function endpointsFor(cluster: Cluster, objects: KubeObject[], services: DumpService[]): Record<string, Array<{ip: string; port: number}>> {
  const out: Record<string, Array<{ip: string; port: number}>> = {}
  for (const s of services) {
    const pods = backendPods(cluster, objects, s.host)
    const svc = objects.find((o) => o.kind === 'Service' && serviceFqdn(o.metadata?.name ?? '', o.metadata?.namespace ?? '') === s.host)
    const p = svc?.spec?.ports?.find((x: any) => x.port === s.port)
    const target = typeof p?.targetPort === 'number' ? p.targetPort : s.port
    const eps = (list: KubeObject[]) => list.map((x) => ({ip: (x.status as any).podIP as string, port: target}))
    out[`outbound|${s.port}||${s.host}`] = eps(pods)
    for (const dr of objects.filter((o) => o.kind === 'DestinationRule')) {
      for (const sub of dr.spec?.subsets ?? []) {
        const labels = subsetLabels(objects, s.host, sub.name)
        if (labels) out[`outbound|${s.port}|${sub.name}|${s.host}`] = eps(pods.filter((x) => matchesMap(labels, x.metadata?.labels)))
      }
    }
  }
  return out
}

export function configDumpFor(cluster: Cluster, pod: KubeObject, opts: {includeEds?: boolean} = {}): object {
  const view = routingView(cluster)
  const services = meshServices(view.objects)
  return view.configDump({name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, ip: (pod.status as any)?.podIP ?? ''}, services,
    opts.includeEds ? endpointsFor(cluster, view.objects, services) : undefined)
}

export type AdminResponse = HttpResponse

/** Envoy's loggers (a subset of `envoy --help`'s list and MetaProtocol Proxy's), at Istio's default level. */
const LOGGERS = ['admin', 'aws', 'client', 'config', 'connection', 'conn_handler', 'dubbo', 'filter', 'grpc', 'hc', 'health_checker', 'http', 'http2', 'init', 'main', 'misc', 'pool', 'rbac', 'router', 'runtime', 'secret', 'thrift', 'upstream', 'wasm']
const LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off']
/** Levels per pod UID (each read of a pod is a fresh copy of the stored object). */
const loggerState = new Map<string, Record<string, string>>()

function loggers(pod: KubeObject): Record<string, string> {
  const k = String(pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`)
  let l = loggerState.get(k)
  if (!l) loggerState.set(k, (l = Object.fromEntries(LOGGERS.map((n) => [n, 'warning']))))
  return l
}

function loggingPage(pod: KubeObject): string {
  return `active loggers:\n${Object.entries(loggers(pod)).map(([n, l]) => `  ${n}: ${l}`).join('\n')}\n`
}

/** POST /logging?level=L (every logger) or ?NAME=L (envoyproxy/envoy source/server/admin/logs_handler.cc). */
function setLogging(pod: KubeObject, query: string): AdminResponse {
  const params = [...new URLSearchParams(query)]
  const text = (status: number, body: string): AdminResponse => ({status, contentType: 'text/plain; charset=UTF-8', body})
  if (params.length !== 1) return text(404, `usage: /logging?<name>=<level> (change single level)\nusage: /logging?level=<level> (change all levels)\n${loggingPage(pod)}`)
  const [name, level] = params[0]
  if (!LEVELS.includes(level)) return text(404, `error: unknown logger level\n${loggingPage(pod)}`)
  const l = loggers(pod)
  if (name === 'level') for (const k of Object.keys(l)) l[k] = level
  else if (name in l) l[name] = level
  else return text(404, `error: unknown logger name\n${loggingPage(pod)}`)
  return text(200, loggingPage(pod))
}

function clustersPage(cluster: Cluster, pod: KubeObject): string {
  const dump = configDumpFor(cluster, pod, {includeEds: true}) as any
  const lines: string[] = []
  for (const section of dump.configs ?? []) {
    for (const c of section.dynamic_endpoint_configs ?? []) {
      const name = c.endpoint_config?.cluster_name
      for (const ep of c.endpoint_config?.endpoints ?? []) {
        for (const lb of ep.lb_endpoints ?? []) {
          const a = lb.endpoint?.address?.socket_address
          if (name && a) lines.push(`${name}::${a.address}:${a.port_value}::health_flags::healthy`, `${name}::${a.address}:${a.port_value}::weight::1`)
        }
      }
    }
    for (const c of section.dynamic_active_clusters ?? []) if (c.cluster?.name) lines.push(`${c.cluster.name}::default_priority::max_connections::4294967295`)
  }
  return `${lines.sort().join('\n')}\n`
}

function listenersPage(cluster: Cluster, pod: KubeObject): string {
  const dump = configDumpFor(cluster, pod) as any
  const lines: string[] = []
  for (const section of dump.configs ?? []) {
    for (const l of section.dynamic_listeners ?? []) {
      const a = l.active_state?.listener?.address?.socket_address
      if (l.name) lines.push(`${l.name}::${a ? `${a.address}:${a.port_value}` : ''}`)
    }
  }
  return `${lines.sort().join('\n')}\n`
}

/** Answers <method> <path> on the sidecar's admin port (GET unless said otherwise). */
export function adminRequest(cluster: Cluster, pod: KubeObject, rawPath: string, method = 'GET'): AdminResponse {
  const [path, query = ''] = (rawPath.startsWith('/') ? rawPath : `/${rawPath}`).split('?')
  if (path === '/logging' && query) {
    if (method !== 'POST') return {status: 405, contentType: 'text/plain', body: 'This endpoint requires POST.\n'}
    return setLogging(pod, query)
  }
  if (method === 'POST' && path !== '/logging') return {status: 405, contentType: 'text/plain', body: `method POST is not allowed for ${path}\n`}
  switch (path) {
    case '/logging': return {status: 200, contentType: 'text/plain; charset=UTF-8', body: loggingPage(pod)}
    case '/stats': return {status: 200, contentType: 'text/plain; charset=UTF-8', body: statsText(cluster, pod)}
    case '/stats/prometheus': return {status: 200, contentType: 'text/plain; charset=UTF-8', body: statsPrometheus(cluster, pod)}
    case '/clusters': return {status: 200, contentType: 'text/plain; charset=UTF-8', body: clustersPage(cluster, pod)}
    case '/listeners': return {status: 200, contentType: 'text/plain; charset=UTF-8', body: listenersPage(cluster, pod)}
    case '/config_dump': {
      const includeEds = new URLSearchParams(query).has('include_eds')
      return {status: 200, contentType: 'application/json', body: JSON.stringify(configDumpFor(cluster, pod, {includeEds}), null, 2) + '\n'}
    }
    case '/ready': return {status: 200, contentType: 'text/plain', body: 'LIVE\n'}
    case '/server_info': return {status: 200, contentType: 'application/json', body: JSON.stringify({version: '1.4.2/aeraki-meta-protocol-proxy/playground', state: 'LIVE', command_line_options: {}}, null, 2) + '\n'}
    case '/healthz/ready': return {status: 200, contentType: 'text/plain', body: ''}
    default: return {status: 404, contentType: 'text/plain', body: `invalid path: ${path}\n`}
  }
}

function adminCommand(cluster: Cluster, pod: KubeObject, path: string, io: ExecIo, method = 'GET'): number {
  const r = adminRequest(cluster, pod, path, method)
  io.out(r.body)
  return r.status === 200 ? 0 : 1
}

const ENVOY = {server: 'envoy'}

/**
 * The istio-proxy container: `pilot-agent request GET <path>` and `curl http://127.0.0.1:15000/<path>` in exec, the
 * admin port 15000 and the health port 15021 over port-forward, and Envoy's start-up lines in its log.
 */
export function sidecarBehaviour(cluster: Cluster, pod: KubeObject): ContainerBehaviour {
  return {
    exec: {
      'pilot-agent': (argv, io) => {
        if (argv[1] !== 'request' || !argv[2] || !argv[3]) { io.err('Usage: pilot-agent request <method> <path> [flags]\n'); return 1 }
        const method = argv[2].toUpperCase()
        if (method !== 'GET' && method !== 'POST') { io.err(`playground: only GET and POST are emulated, not ${argv[2]}\n`); return 1 }
        return adminCommand(cluster, pod, argv[3], io, method)
      },
      curl: (argv, io) => {
        const url = argv.slice(1).find((a) => /^(https?:\/\/)?(127\.0\.0\.1|localhost):15000(\/|$)/.test(a))
        if (!url) { io.err(`curl: (7) Failed to connect: Connection refused\n`); return 7 }
        const x = argv.indexOf('-X')
        const method = x > 0 ? String(argv[x + 1]).toUpperCase() : argv.includes('-d') ? 'POST' : 'GET'
        return adminCommand(cluster, pod, url.replace(/^(https?:\/\/)?[^/]+/, '') || '/', io, method)
      },
    },
    port(port) {
      if (port !== 15000 && port !== 15021) return undefined
      return (req) => !['GET', 'HEAD', 'POST'].includes(req.method) ? {status: 405, contentType: 'text/plain', body: 'method not allowed\n', headers: ENVOY}
        : port === 15021 ? {status: 200, contentType: 'text/plain', body: '', headers: ENVOY}
        : {...adminRequest(cluster, pod, req.target, req.method === 'POST' ? 'POST' : 'GET'), headers: ENVOY}
    },
    run(log) {
      log(`${new Date().toISOString()}\tinfo\tVersion 1.20.8-aeraki-playground`)
      log(`${new Date().toISOString()}\tinfo\tEnvoy proxy is ready`)
    },
  }
}
