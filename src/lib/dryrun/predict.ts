// The prediction for one request: which MetaRouter and route table apply, which route matches and why the earlier
// ones did not, which cluster it goes to (and with what probability), mirror, mutations, rate limits, and the
// layered config outcomes (webhook rejection, proxy NACK, nondeterminism, exportTo). Pure: no I/O.
import {resourceName} from '../resources/kinds.js'
import type {Finding, Loaded, MetaRouterSpec} from '../resources/types.js'
import {clusterExists} from '../routing/exists.js'
import {explainRoute, requestView, type Attributes, type RouteTrace} from '../routing/match.js'
import {CODECS_IGNORING_REQUEST_MUTATION, outboundCluster} from '../routing/names.js'
import {globalPlanFor, localBucketFor} from '../routing/ratelimit.js'
import {sampleWeighted, type SampleCounts} from '../routing/sampling.js'
import {buildRouteTable, destinationRulesFor, metaRoutersFor} from '../routing/translate.js'
import type {KeyValue, RouteEntry, RouteTable, WeightedCluster} from '../routing/types.js'
import {pickWeighted, shares, totalWeight} from '../routing/weighted.js'
import {metaRouterSpec, type World} from '../routing/world.js'
import {analyzeMetaRouter} from '../validate/analysis.js'
import {dedupeFindings, hasErrors, sortFindings} from '../validate/findings.js'
import {proxyNackFindings} from '../validate/proxy.js'
import {validateAgainstCrd} from '../validate/schema.js'
import {validateMetaRouterWebhook} from '../validate/webhook.js'
import {resolveService} from './resolve.js'

export type ConfigOutcome = 'rejected-by-webhook' | 'nacked-by-proxy' | 'nondeterministic' | 'no-meta-protocol-proxy-on-client'

export interface PredictQuery {
  host?: string
  port?: number
  attributes: Attributes
  randomValue?: bigint
  sequence?: number
  clientNamespace?: string
  samples?: number
  seed?: bigint
}

export interface ClusterShare {
  name: string
  weight: number
  share: number
  /** Whether Istio would have built this cluster: null when the host is not among the inputs. */
  exists: boolean | null
}

export interface RateLimitOutcome {
  sequence: number
  allowed: number
  rejected: number
  enforcedAt: string
  local: {bucket: string | null; capacity: number | null; fillInterval: string | null} | null
  global: {decision: string; descriptor: Array<{key: string; value: string}>; limit: {unit: string; requestsPerUnit: number} | null} | null
}

export interface PossibleOutcome {
  metaRouter: string
  route: {index: number; name: string} | null
  clusters: ClusterShare[]
  selectedCluster: string | null
  error: string | null
}

export interface Prediction {
  service: {host: string; port: number; applicationProtocol: string; codec: string | null}
  routeConfig: string
  metaRouter: string | null
  route: {index: number; name: string} | null
  clusters: ClusterShare[]
  selectedCluster: string | null
  pick: {randomValue: string; total: number; selected: number; interval: [number, number]} | null
  hashPolicy: string[]
  mirror: {cluster: string; numerator: number; denominator: 'MILLION'; probability: number} | null
  requestMutation: KeyValue[]
  /** false for codecs (Thrift, bRPC) that compute the mutation but never encode it. */
  requestMutationOnWire: boolean
  responseMutation: KeyValue[]
  error: string | null
  configOutcome: ConfigOutcome | null
  possibleOutcomes: PossibleOutcome[] | null
  rateLimit: RateLimitOutcome | null
  samples: SampleCounts | null
  walk: RouteTrace[]
  table: RouteTable
  findings: Finding[]
}

export function predict(world: World, query: PredictQuery): Prediction {
  const {service, port} = resolveService(world, query.host, query.port)
  const applicationProtocol = port.applicationProtocol ?? ''
  const findings: Finding[] = []
  const codec = world.codecs.get(applicationProtocol) ?? null
  if (!codec) {
    findings.push({code: 'APPLICATION_PROTOCOL_UNKNOWN', severity: 'warning', message: `no ApplicationProtocol for "${applicationProtocol}" among the inputs: Aeraki installs no MetaProtocol proxy for ${service.host} unless one is registered in the cluster`})
  }
  const dr = destinationRulesFor(world, service)
  if (dr.length > 1) findings.push({code: 'MULTIPLE_DESTINATIONRULES', severity: 'warning', message: `${dr.length} DestinationRules for ${service.host} (${dr.map(d => resourceName(d.obj)).join(', ')}); Aeraki uses an arbitrary one for hash policies`})
  const destinationRule = dr[0] ?? null

  // Every MetaRouter naming this host; those the API server would refuse never exist.
  const candidates = metaRoutersFor(world, service.host)
  const accepted: Loaded[] = []
  let rejected = 0
  for (const mr of candidates) {
    const f = [...validateAgainstCrd(mr), ...validateMetaRouterWebhook(mr)]
    findings.push(...f)
    if (hasErrors(f)) rejected++
    else accepted.push(mr)
    findings.push(...analyzeMetaRouter(mr, applicationProtocol))
  }
  const base = basePrediction({host: service.host, port: port.number, applicationProtocol: port.applicationProtocol ?? '', codec}, findings)
  const view = requestView(query.attributes, applicationProtocol)

  if (accepted.length === 0 && rejected > 0) {
    const table = buildRouteTable(service, port, null, destinationRule)
    return finish({...base, table, configOutcome: 'rejected-by-webhook'})
  }
  if (accepted.length > 1) {
    findings.push({code: 'MULTIPLE_METAROUTERS', severity: 'error', message: `${accepted.length} MetaRouters name ${service.host} (${accepted.map(m => resourceName(m.obj)).join(', ')}); Aeraki uses one of them at random and never merges them`})
    const possibleOutcomes = accepted.map(mr => {
      const {fields: f} = routeOnce(name => clusterExists(world, name), buildRouteTable(service, port, mr, destinationRule), view, query)
      return {metaRouter: objectRef(mr), route: f.route, clusters: f.clusters, selectedCluster: f.selectedCluster, error: f.error}
    })
    const table = buildRouteTable(service, port, accepted[0], destinationRule)
    return finish({...base, table, configOutcome: 'nondeterministic', possibleOutcomes})
  }

  const mr = accepted[0] ?? null
  const table = buildRouteTable(service, port, mr, destinationRule)
  const withMr = {...base, table, metaRouter: mr ? objectRef(mr) : null}

  const exportedTo = mr ? exportNamespaces(mr) : null
  if (exportedTo && query.clientNamespace !== undefined && !exportedTo.includes(query.clientNamespace)) {
    const plain = outboundCluster(port.number, '', service.host)
    return finish({...withMr, configOutcome: 'no-meta-protocol-proxy-on-client', clusters: [{name: plain, weight: 100, share: 1, exists: clusterExists(world, plain)}]})
  }
  if (exportedTo && query.clientNamespace === undefined) {
    findings.push({code: 'EXPORTTO_RESTRICTS_CLIENTS', severity: 'info', message: `the MetaRouter is exported to ${exportedTo.join(', ')} only: clients in other namespaces get no MetaProtocol proxy (use --client-namespace to check one)`, path: 'spec.exportTo', resource: resourceName(mr!.obj)})
  }
  if (mr) {
    const nack = proxyNackFindings(mr)
    findings.push(...nack)
    if (hasErrors(nack.filter(f => f.code.startsWith('PROXY_NACK')))) return finish({...withMr, configOutcome: 'nacked-by-proxy'})
  }

  const routed = routeOnce(name => clusterExists(world, name), table, view, query)
  findings.push(...routed.findings)
  const out: Prediction = {...withMr, ...routed.fields}
  out.rateLimit = mr && query.sequence ? rateLimitFor(world, metaRouterSpec(mr), query, view, out) : null
  return finish(out)

  function finish(p: Prediction): Prediction {
    p.findings = sortFindings(dedupeFindings(findings))
    return p
  }
}

/** A prediction with nothing decided yet, for one service port. */
export function basePrediction(service: Prediction['service'], findings: Finding[]): Prediction {
  return {
    service,
    routeConfig: `${service.host}_${service.port}`,
    metaRouter: null,
    route: null,
    clusters: [],
    selectedCluster: null,
    pick: null,
    hashPolicy: [],
    mirror: null,
    requestMutation: [],
    requestMutationOnWire: !CODECS_IGNORING_REQUEST_MUTATION.has(service.applicationProtocol),
    responseMutation: [],
    error: null,
    configOutcome: null,
    possibleOutcomes: null,
    rateLimit: null,
    samples: null,
    walk: [],
    table: {name: '', host: service.host, port: service.port, applicationProtocol: service.applicationProtocol, routes: []},
    findings,
  }
}

export interface Routed {
  findings: Finding[]
  /** The fields of a Prediction that routing decides. */
  fields: Pick<Prediction, 'walk' | 'route' | 'clusters' | 'selectedCluster' | 'error'> & Partial<Prediction>
}

/** Routes one request through one table; `exists` says whether a cluster exists (null: unknown). */
export function routeOnce(exists: (cluster: string) => boolean | null, table: RouteTable, view: ReadonlyMap<string, string>, query: PredictQuery): Routed {
  const findings: Finding[] = []
  const {index, trace} = explainRoute(table, view)
  if (index < 0) {
    return {findings, fields: {walk: trace, route: null, clusters: [], selectedCluster: null, error: 'RouteNotFound'}}
  }
  const entry = table.routes[index]
  const weighted: WeightedCluster[] = entry.action.kind === 'cluster' ? [{name: entry.action.cluster, weight: 100}] : entry.action.clusters
  const shareList = entry.action.kind === 'cluster' ? [1] : shares(weighted)
  const clusters: ClusterShare[] = weighted.map((c, i) => ({name: c.name, weight: c.weight, share: shareList[i], exists: exists(c.name)}))
  for (const c of clusters) {
    if (c.exists === false) findings.push({code: 'CLUSTER_NOT_FOUND', severity: 'warning', message: `${c.name} does not exist (no such port, or the subset is not defined in a DestinationRule for the host): requests picking it fail with ClusterNotFound`})
  }
  let selectedCluster: string | null = null
  let pick: Prediction['pick'] = null
  if (entry.action.kind === 'cluster') selectedCluster = entry.action.cluster
  else if (query.randomValue !== undefined) {
    const p = pickWeighted(entry.action.clusters, query.randomValue)
    if (p) {
      selectedCluster = p.cluster
      pick = {randomValue: query.randomValue.toString(), total: totalWeight(entry.action.clusters), selected: p.selected, interval: p.interval}
    }
  }
  let error: string | null = null
  if (selectedCluster !== null && clusters.find(c => c.name === selectedCluster)?.exists === false) error = 'ClusterNotFound'
  else if (selectedCluster === null && clusters.length > 0 && clusters.every(c => c.exists === false || c.weight === 0)) error = 'ClusterNotFound'
  const samples = query.samples && query.samples > 0 ? sampleWeighted(weighted, query.samples, query.seed ?? 0n) : null
  return {
    findings,
    fields: {
      walk: trace,
      route: {index, name: entry.name},
      clusters,
      selectedCluster,
      pick,
      hashPolicy: entry.hashPolicy,
      mirror: mirrorOf(entry),
      requestMutation: effectiveMutation(entry.requestMutation),
      responseMutation: [],
      error,
      samples,
    },
  }
}

function mirrorOf(entry: RouteEntry): Prediction['mirror'] {
  if (!entry.mirror) return null
  return {cluster: entry.mirror.cluster, numerator: entry.mirror.numerator, denominator: 'MILLION', probability: entry.mirror.numerator / 1_000_000}
}

/** `mutation[key] = value` in order: later duplicates win, first position kept. */
function effectiveMutation(list: KeyValue[]): KeyValue[] {
  const m = new Map<string, string>()
  for (const kv of list) m.set(kv.key, kv.value)
  return [...m].map(([key, value]) => ({key, value}))
}

/** `.` is the MetaRouter's namespace; `*` or nothing puts the filters in the root namespace, i.e. everywhere. */
function exportNamespaces(mr: Loaded): string[] | null {
  const list = metaRouterSpec(mr).exportTo
  if (!Array.isArray(list) || list.length === 0 || list.includes('*')) return null
  return list.map(ns => (ns === '.' ? (mr.obj.metadata?.namespace ?? 'default') : ns))
}

function rateLimitFor(world: World, spec: MetaRouterSpec, query: PredictQuery, clientView: ReadonlyMap<string, string>, p: Prediction): RateLimitOutcome | null {
  const n = query.sequence ?? 0
  if (!spec.localRateLimit && !spec.globalRateLimit) return null
  // The server's inbound proxy decodes the request again, after the client applied requestMutation (when the codec
  // writes it), so mutations can change which condition matches.
  const inbound = new Map(clientView)
  const properties = new Map<string, string>()
  for (const [k, v] of query.attributes) properties.set(k, v)
  if (p.requestMutationOnWire) {
    for (const kv of p.requestMutation) {
      inbound.set(kv.key.toLowerCase(), kv.value)
      properties.set(kv.key, kv.value)
    }
  }
  const local = localBucketFor(spec.localRateLimit, inbound)
  const global = globalPlanFor(spec.globalRateLimit, inbound, properties, world.rateLimitConfigs)
  if (global?.decision === 'unknown-service-config') {
    p.findings.push({code: 'RATELIMIT_SERVICE_CONFIG_MISSING', severity: 'warning', message: `no rate limit service configuration for domain "${spec.globalRateLimit?.domain}" among the inputs (a ConfigMap with the ratelimit service's config.yaml); the global limit is not simulated`})
  }
  let allowed = 0
  let localTokens = local.capacity ?? Infinity
  let globalTokens = global?.limit ? global.limit.requestsPerUnit : Infinity
  for (let i = 0; i < n; i++) {
    if (local.bucket !== null) {
      if (localTokens <= 0) continue
      localTokens--
    }
    if (global?.decision === 'limited-by-service') {
      if (globalTokens <= 0) continue
      globalTokens--
    }
    allowed++
  }
  return {
    sequence: n,
    allowed,
    rejected: n - allowed,
    enforcedAt: 'server-side inbound proxy, per server pod (a burst within one fill interval)',
    local: spec.localRateLimit ? {bucket: local.bucket, capacity: local.capacity, fillInterval: local.fillIntervalMs === null ? null : `${local.fillIntervalMs}ms`} : null,
    global: global ? {decision: global.decision, descriptor: global.descriptor, limit: global.limit} : null,
  }
}

/** `namespace/name` of a MetaRouter. */
function objectRef(l: Loaded): string {
  return `${l.obj.metadata?.namespace ?? 'default'}/${l.obj.metadata?.name ?? ''}`
}
