// istiod's debug endpoints on its monitoring port 15014 (istio/istio pilot/pkg/xds/debug.go InitDebug), read
// as aerakictl.sh's _istiod_* functions did, and turned into rows for people: configz (the config store),
// registryz (services and ports), endpointz (endpoints per service), instancesz (service instances per proxy),
// adsz + syncz (connected proxies and, as `istioctl proxy-status` shows it, the sync state per xDS type:
// istioctl/pkg/writer/pilot/status.go xdsStatus).
import {InputError} from '../resources/errors.js'

/** The endpoints `istiod debug` lists when none is given (the ones aerakictl.sh and istioctl read). */
export const ISTIOD_DEBUG_ENDPOINTS: Array<{path: string; what: string}> = [
  {path: 'adsz', what: 'connected proxies and the resources each watches'},
  {path: 'syncz', what: 'the xDS sync state of each proxy (as proxy-status)'},
  {path: 'configz', what: 'every Istio/Aeraki config object istiod holds'},
  {path: 'registryz', what: 'the service registry (Services and ServiceEntries)'},
  {path: 'endpointz', what: 'endpoints of each service port'},
  {path: 'instancesz', what: 'service instances per connected proxy'},
  {path: 'push_status', what: 'the last push: its time and counts'},
]

/** `debug/NAME` for NAME, /debug/NAME or debug/NAME; the query is kept. */
export function debugPath(endpoint: string): string {
  const p = endpoint.replace(/^\/+/, '')
  if (!/^[A-Za-z0-9_/]+(\?[^\s]*)?$/.test(p)) throw new InputError(`"${endpoint}" is not a debug endpoint name such as configz or /debug/registryz`, 'ENDPOINT')
  return p.startsWith('debug/') ? p : `debug/${p}`
}

export function parseJsonAnswer(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    const head = text.trim().slice(0, 120)
    throw new Error(`istiod's ${what} is not JSON: "${head}"`)
  }
}

const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : [])

export interface ConfigRow {kind: string; name: string; namespace: string; resourceVersion: string}

export function configRows(doc: unknown): ConfigRow[] {
  return asArray(doc).map((c) => ({
    kind: String(c.kind ?? c.meta?.type ?? ''), name: String(c.metadata?.name ?? c.meta?.name ?? ''),
    namespace: String(c.metadata?.namespace ?? c.meta?.namespace ?? ''), resourceVersion: String(c.metadata?.resourceVersion ?? c.meta?.resourceVersion ?? ''),
  })).sort((a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
}

export interface ServiceRow {hostname: string; namespace: string; registry: string; address: string; ports: string}

export function registryRows(doc: unknown): ServiceRow[] {
  return asArray(doc).map((s) => ({
    hostname: String(s.hostname ?? ''), namespace: String(s.Attributes?.Namespace ?? ''), registry: String(s.Attributes?.ServiceRegistry ?? ''),
    address: String(s.address ?? Object.values(s.clusterVIPs?.Addresses ?? {}).flat()[0] ?? ''),
    ports: asArray(s.ports).map((p) => `${p.port}/${p.protocol ?? ''}${p.name ? ` (${p.name})` : ''}`).join(', '),
  })).sort((a, b) => a.hostname.localeCompare(b.hostname))
}

export interface EndpointRow {service: string; port: string; endpoint: string; labels: string}

export function endpointRows(doc: unknown): EndpointRow[] {
  return asArray(doc).map((i) => ({
    service: String(i.Service?.hostname ?? i.service ?? ''), port: String(i.ServicePort?.port ?? i.servicePort ?? ''),
    endpoint: `${i.Endpoint?.Address ?? i.Endpoint?.Addresses?.[0] ?? i.address ?? ''}:${i.Endpoint?.EndpointPort ?? i.endpointPort ?? ''}`,
    labels: Object.entries(i.Endpoint?.Labels ?? {}).filter(([k]) => k === 'version' || k === 'app').map(([k, v]) => `${k}=${v}`).join(','),
  })).sort((a, b) => a.service.localeCompare(b.service) || a.port.localeCompare(b.port) || a.endpoint.localeCompare(b.endpoint))
}

export interface InstanceRow {proxy: string; service: string; port: string; endpoint: string}

export function instanceRows(doc: unknown): InstanceRow[] {
  const rows: InstanceRow[] = []
  for (const [proxy, list] of Object.entries((doc ?? {}) as Record<string, unknown>)) {
    for (const i of asArray(list)) rows.push({proxy, service: String(i.Service?.hostname ?? ''), port: String(i.ServicePort?.port ?? ''), endpoint: `${i.Endpoint?.Address ?? ''}:${i.Endpoint?.EndpointPort ?? ''}`})
  }
  return rows.sort((a, b) => a.proxy.localeCompare(b.proxy) || a.service.localeCompare(b.service))
}

export const XDS_TYPES = [['CDS', 'cluster'], ['LDS', 'listener'], ['EDS', 'endpoint'], ['RDS', 'route'], ['ECDS', 'extensionconfig']] as const

/** istioctl's xdsStatus: NOT SENT without a sent nonce, SYNCED when the last sent was acked, else STALE. */
export function xdsStatus(sent: string | undefined, acked: string | undefined): string {
  if (!sent) return 'NOT SENT'
  if (sent === acked) return 'SYNCED'
  if (!acked) return 'STALE (Never Acknowledged)'
  return 'STALE'
}

export interface AdsRow {
  proxy: string
  pod: string
  namespace: string
  version: string
  connectedAt: string
  status: Record<string, string>
}

/** One row per connected proxy: adsz gives connection and pod, syncz the nonces per type. */
export function adsRows(adsz: unknown, syncz: unknown): AdsRow[] {
  const sync = new Map(asArray(syncz).map((s) => [String(s.proxy ?? ''), s]))
  const clients = asArray((adsz as any)?.clients)
  const ids = new Set<string>([...clients.map((c) => proxyId(c)), ...sync.keys()].filter(Boolean))
  const rows: AdsRow[] = []
  for (const id of ids) {
    const c = clients.find((x) => proxyId(x) === id)
    const s = sync.get(id) ?? {}
    const [pod, namespace] = (id.split('~')[2] ?? id).split('.')
    const status: Record<string, string> = {}
    for (const [short, long] of XDS_TYPES) status[short] = xdsStatus(s[`${long}_sent`], s[`${long}_acked`])
    rows.push({proxy: id, pod: c?.metadata?.POD_NAME ?? pod ?? '', namespace: c?.metadata?.NAMESPACE ?? namespace ?? '', version: String(s.istio_version ?? c?.metadata?.ISTIO_VERSION ?? ''), connectedAt: String(c?.connectedAt ?? ''), status})
  }
  return rows.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod))
}

function proxyId(c: any): string {
  // connectionId is "<proxy id>-<counter>" (pilot/pkg/xds/ads.go connectionID).
  return String(c?.connectionId ?? '').replace(/-\d+$/, '')
}
