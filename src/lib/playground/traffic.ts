// Counters of each sidecar of the playground that follow the simulated traffic, as Envoy keeps them: per upstream
// cluster (cluster.<name>.upstream_rq_total, upstream_rq_error) and per MetaProtocol listener stat prefix
// (meta_protocol.<prefix>.request, response, response_error: aeraki-mesh/meta-protocol-proxy
// src/meta_protocol_proxy/stats.h), plus a per-route request counter labelled with the route name (a playground
// addition, said so in its # HELP line). Served as /stats (Envoy's text form) and /stats/prometheus.
import type {Cluster} from '@aerakictl/kube-emulator'
import type {KubeObject} from '../resources/types.js'

interface Counters {
  upstream: Map<string, {total: number; errors: number}>
  listener: Map<string, {request: number; response: number; error: number}>
  route: Map<string, number>
  started: number
}

const all = new WeakMap<Cluster, Map<string, Counters>>()

function countersOf(cluster: Cluster, pod: KubeObject): Counters {
  let m = all.get(cluster)
  if (!m) all.set(cluster, (m = new Map()))
  const k = `${pod.metadata?.namespace}/${pod.metadata?.name}`
  let c = m.get(k)
  if (!c) m.set(k, (c = {upstream: new Map(), listener: new Map(), route: new Map(), started: Date.now()}))
  return c
}

/** One demo call as the client's sidecar counts it. */
export function recordCall(cluster: Cluster, pod: KubeObject, call: {host: string; port: number}, answer: {pod?: unknown; cluster?: string; route?: string}): void {
  const c = countersOf(cluster, pod)
  const prefix = `outbound|${call.port}||${call.host}`
  const l = c.listener.get(prefix) ?? {request: 0, response: 0, error: 0}
  l.request++
  if (answer.pod) l.response++
  else l.error++
  c.listener.set(prefix, l)
  if (answer.cluster) {
    const u = c.upstream.get(answer.cluster) ?? {total: 0, errors: 0}
    u.total++
    if (!answer.pod) u.errors++
    c.upstream.set(answer.cluster, u)
  }
  if (answer.route) c.route.set(`${prefix}\u0000${answer.route}`, (c.route.get(`${prefix}\u0000${answer.route}`) ?? 0) + 1)
}

/** Envoy's /stats text: `name: value`, sorted. */
export function statsText(cluster: Cluster, pod: KubeObject): string {
  const c = countersOf(cluster, pod)
  const lines: string[] = []
  for (const [name, u] of c.upstream) lines.push(`cluster.${name}.upstream_rq_total: ${u.total}`, `cluster.${name}.upstream_rq_error: ${u.errors}`)
  for (const [prefix, l] of c.listener) lines.push(`meta_protocol.${prefix}.request: ${l.request}`, `meta_protocol.${prefix}.response: ${l.response}`, `meta_protocol.${prefix}.response_error: ${l.error}`)
  lines.push('server.live: 1', `server.uptime: ${Math.floor((Date.now() - c.started) / 1000)}`)
  return `${lines.sort().join('\n')}\n`
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')

/** /stats/prometheus (text exposition 0.0.4), with Istio's tag extraction of the cluster name. */
export function statsPrometheus(cluster: Cluster, pod: KubeObject): string {
  const c = countersOf(cluster, pod)
  const out: string[] = []
  const family = (name: string, type: string, samples: Array<[Record<string, string>, number]>, help?: string) => {
    if (help) out.push(`# HELP ${name} ${help}`)
    out.push(`# TYPE ${name} ${type}`)
    for (const [labels, v] of samples) {
      const l = Object.entries(labels).map(([k, x]) => `${k}="${esc(x)}"`).join(',')
      out.push(`${name}{${l}} ${v}`)
    }
  }
  const ups = [...c.upstream].sort(([a], [b]) => a.localeCompare(b))
  family('envoy_cluster_upstream_rq_total', 'counter', ups.map(([n, u]) => [{cluster_name: n}, u.total]))
  family('envoy_cluster_upstream_rq_error', 'counter', ups.map(([n, u]) => [{cluster_name: n}, u.errors]))
  const ls = [...c.listener].sort(([a], [b]) => a.localeCompare(b))
  family('envoy_meta_protocol_request', 'counter', ls.map(([p, l]) => [{meta_protocol_prefix: p}, l.request]))
  family('envoy_meta_protocol_response', 'counter', ls.map(([p, l]) => [{meta_protocol_prefix: p}, l.response]))
  family('envoy_meta_protocol_response_error', 'counter', ls.map(([p, l]) => [{meta_protocol_prefix: p}, l.error]))
  family('envoy_meta_protocol_route_request', 'counter', [...c.route].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => {
    const [prefix, route] = k.split('\u0000')
    return [{meta_protocol_prefix: prefix, route_name: route}, v]
  }), 'playground: requests per MetaProtocol route')
  out.push('# TYPE envoy_server_live gauge', 'envoy_server_live{} 1')
  return `${out.join('\n')}\n`
}
