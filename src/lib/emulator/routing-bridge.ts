// The emulator's link to the route simulator and the config-dump generator.
// TEMPORARY stand-ins until src/lib/dryrun/predict.ts and src/lib/dump/generate.ts land.
import type {KubeObject} from '../resources/types.js'

export interface PredictQuery {host: string; port?: number; attributes: Array<[string, string]>; randomValue?: bigint}
export interface Prediction {
  selectedCluster: string | null
  clusters: Array<{name: string; weight: number; share: number}>
  error: string | null
  configOutcome: string | null
}

const matches = (m: any, v: string | undefined) => {
  if (!m) return true
  if (v === undefined) return false
  if (m.exact !== undefined) return v === m.exact
  if (m.prefix !== undefined) return v.startsWith(m.prefix)
  if (m.regex !== undefined) return new RegExp(`^(?:${m.regex})$`).test(v)
  return true
}

export function predict(objects: KubeObject[], q: PredictQuery): Prediction {
  const mr = objects.find((o) => o.kind === 'MetaRouter' && (o.spec?.hosts ?? []).includes(q.host))
  const port = q.port ?? 0
  if (!mr || !(mr.spec?.routes ?? []).length) {
    const name = `outbound|${port}||${q.host}`
    return {selectedCluster: name, clusters: [{name, weight: 1, share: 1}], error: null, configOutcome: null}
  }
  const attrs = new Map(q.attributes.map(([k, v]) => [k.toLowerCase(), v]))
  for (const r of mr.spec.routes) {
    const conds = Object.entries(r.match?.attributes ?? {})
    if (!conds.every(([k, m]) => matches(m, attrs.get(k.toLowerCase())))) continue
    const dests: any[] = r.route ?? []
    const clusters = dests.map((d) => ({name: `outbound|${d.destination?.port?.number ?? port}|${d.destination?.subset ?? ''}|${d.destination?.host}`, weight: d.weight ?? (dests.length === 1 ? 1 : 0), share: 0}))
    const total = clusters.reduce((n, c) => n + c.weight, 0)
    for (const c of clusters) c.share = total ? c.weight / total : 0
    let pick = Number((q.randomValue ?? 0n) % BigInt(Math.max(total, 1)))
    const selected = clusters.find((c) => (pick -= c.weight) < 0) ?? clusters[0]
    return {selectedCluster: selected?.name ?? null, clusters, error: null, configOutcome: null}
  }
  return {selectedCluster: null, clusters: [], error: 'no matched route', configOutcome: null}
}

export interface DumpService {host: string; port: number; clusterIp: string; applicationProtocol: string}

export function configDump(objects: KubeObject[], pod: {name: string; namespace: string; ip: string}, services: DumpService[]): object {
  void objects
  return {configs: [
    {'@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump', bootstrap: {node: {id: `sidecar~${pod.ip}~${pod.name}.${pod.namespace}~${pod.namespace}.svc.cluster.local`}}},
    {'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump', dynamic_active_clusters: services.map((s) => ({cluster: {name: `outbound|${s.port}||${s.host}`}}))},
  ]}
}
