// The prediction for one request: which MetaRouter and route table apply, which route matches and why the earlier
// ones did not, which cluster it goes to (and with what probability), mirror, mutations, rate limits, and the
// layered config outcomes (webhook rejection, proxy NACK, nondeterminism, exportTo). Pure: no I/O.
import {resourceName} from '../resources/kinds.js'
import type {Finding, Loaded, MetaRouterSpec} from '../resources/types.js'
import {clusterExists} from '../routing/exists.js'
import {explainRoute, requestView, type Attributes, type RouteTrace} from '../routing/match.js'
import {CODECS_IGNORING_REQUEST_MUTATION, NON_STRING_ATTRIBUTES, outboundCluster, parseCluster} from '../routing/names.js'
import {globalPlanFor, localBucketFor} from '../routing/ratelimit.js'
import {sampleWeighted, type SampleCounts} from '../routing/sampling.js'
import {buildRouteTable, destinationRulesFor, metaRoutersFor} from '../routing/translate.js'
import type {KeyValue, RouteEntry, RouteTable, WeightedCluster} from '../routing/types.js'
import {pickWeighted, shares, totalWeight} from '../routing/weighted.js'
import {carriesLabels, destinationRulesForHost, metaRouterSpec, podSelectorOf, runningPodsSelectedBy, subsetsOf, type MeshService, type World} from '../routing/world.js'
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
  /** How many server pods receive the requests (default: counted from the Pods/Deployments among the inputs). */
  serverPods?: number
  samples?: number
  seed?: bigint
  /** The proxy's re2.max_program_size.error_level (default: Istio's 32768). */
  regexProgramLimit?: number
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
  global: {decision: string; descriptor: Array<{key: string; value: string}>; descriptors: Array<{entries: Array<{key: string; value: string}>; limit: {unit: string; requestsPerUnit: number} | null}>; limit: {unit: string; requestsPerUnit: number} | null} | null
  /**
   * What the client sees when the requests are spread over several server pods: each pod has its own local buckets
   * (the global limit is shared). A range [min, max]: the load balancer decides how many reach each pod.
   */
  clientObserved: {serverPods: number; from: string; allowed: [number, number]; rejected: [number, number]} | null
}

export interface PossibleOutcome {
  metaRouter: string | null
  /** Set when the alternatives are DestinationRules (their hash policy). */
  destinationRule?: string
  hashPolicy?: string[]
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
  /** probability: the real chance (glibc rand() draws, see mirrorChance); nominalProbability: the configured share. */
  mirror: {cluster: string; numerator: number; denominator: 'MILLION'; probability: number; nominalProbability: number} | null
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
    const f = [...validateAgainstCrd(mr, world.servedSchemas), ...validateMetaRouterWebhook(mr)]
    findings.push(...f)
    // Unknown fields are refused under kubectl's strict validation but pruned under warn/false: the prediction is for
    // the pruned object, the finding says both (validate/structural.ts).
    if (hasErrors(f.filter(x => x.code !== 'API_UNKNOWN_FIELD'))) rejected++
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
  let listenerNack = false
  if (mr) {
    const nack = proxyNackFindings(mr, query.regexProgramLimit)
    findings.push(...nack)
    if (hasErrors(nack.filter(f => f.code.startsWith('PROXY_NACK')))) return finish({...withMr, configOutcome: 'nacked-by-proxy'})
    // The server's inbound listener is refused; the client's outbound route table is not, so routing still happens.
    listenerNack = nack.some(f => f.code === 'LOCAL_RATELIMIT_FILL_INTERVAL')
  }
  if (mr) findings.push(...nonStringAttributeFindings(mr, table, applicationProtocol))

  const routed = routeOnce(name => clusterExists(world, name), table, view, query)
  findings.push(...routed.findings)
  const out: Prediction = {...withMr, ...routed.fields}
  if (listenerNack) out.configOutcome = 'nacked-by-proxy'
  else out.rateLimit = mr && query.sequence ? rateLimitFor(world, metaRouterSpec(mr), query, view, out, service) : null

  // Aeraki reads one DestinationRule per host (findRelatedDestinationRule: the first of an unordered config store
  // list), so with several the hash policy can change from push to push.
  if (dr.length > 1 && !out.configOutcome) {
    const alternatives = dr.map(d => {
      const r = routeOnce(name => clusterExists(world, name), buildRouteTable(service, port, mr, d), view, query).fields
      return {metaRouter: mr ? objectRef(mr) : null, destinationRule: objectRef(d), hashPolicy: r.hashPolicy ?? [], route: r.route, clusters: r.clusters, selectedCluster: r.selectedCluster, error: r.error}
    })
    const distinct = new Set(alternatives.map(a => JSON.stringify(a.hashPolicy)))
    if (distinct.size > 1) {
      out.configOutcome = 'nondeterministic'
      out.possibleOutcomes = alternatives
    }
  }
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
  // router_impl.cc onMessageDecoded answers ClusterNotFound (prepareUpstreamRequest) and returns before it reaches
  // the mirror loop: no copy is sent.
  const mirror = error === 'ClusterNotFound' ? null : mirrorOf(entry)
  if (error === 'ClusterNotFound' && entry.mirror) findings.push({code: 'MIRROR_SKIPPED_CLUSTER_NOT_FOUND', severity: 'info', message: `no mirror copy to ${entry.mirror.cluster}: the router answers ClusterNotFound before it reaches the mirror policies`})
  return {
    findings,
    fields: {
      walk: trace,
      route: {index, name: entry.name},
      clusters,
      selectedCluster,
      pick,
      hashPolicy: entry.hashPolicy,
      mirror,
      requestMutation: effectiveMutation(entry.requestMutation),
      responseMutation: [],
      error,
      samples,
    },
  }
}

function mirrorOf(entry: RouteEntry): Prediction['mirror'] {
  if (!entry.mirror) return null
  const n = entry.mirror.numerator
  return {cluster: entry.mirror.cluster, numerator: n, denominator: 'MILLION', probability: mirrorChance(n), nominalProbability: n / 1_000_000}
}

/**
 * The chance a request is mirrored. The router calls `policy->shouldShadow(runtime_, rand())`
 * (aeraki-mesh/meta-protocol-proxy src/meta_protocol_proxy/filters/router/router_impl.cc), which is Envoy's
 * featureEnabled(key, fraction, random): `random % 1,000,000 < N`. glibc's rand() is uniform on [0, 2^31), and
 * 2^31 = 2147·10^6 + 483,648, so N values below 10^6 are hit 2147 or 2148 times: (2147·N + min(N, 483648)) / 2^31.
 */
export function mirrorChance(numeratorPerMillion: number): number {
  const n = Math.max(0, Math.min(1_000_000, Math.trunc(numeratorPerMillion)))
  if (n >= 1_000_000) return 1
  return (2147 * n + Math.min(n, 483_648)) / 2 ** 31
}

/**
 * requestMutation lands in a `Mutation`, a `std::map<std::string, std::string>` (meta-protocol-proxy
 * src/meta_protocol_proxy/codec/codec.h), filled by `(*mutation)[key] = value` in route order
 * (route_matcher_impl.cc RouteEntryImplBase::requestMutation): one value per key, the last one written, and the
 * codec sees the pairs in std::map order, i.e. byte-wise (UTF-8) key order.
 */
export function effectiveMutation(list: KeyValue[]): KeyValue[] {
  const m = new Map<string, string>()
  for (const kv of list) m.set(kv.key, kv.value)
  return [...m].sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))).map(([key, value]) => ({key, value}))
}

/** Aeraki's root namespace (AERAKI_NAMESPACE, `--root-namespace`, default istio-system; cmd/aeraki/main.go). */
export const AERAKI_ROOT_NAMESPACE = 'istio-system'

/**
 * Where Aeraki creates the EnvoyFilters (internal/envoyfilter/controller.go createEnvoyFiltersOnExportNSs): `.` is
 * the MetaRouter's namespace, `*` is the root namespace; nothing listed means the root namespace too (unless Aeraki
 * runs with --enable-envoy-filter-namespace-scope). An EnvoyFilter in the root namespace applies to every workload,
 * so naming the root namespace is the same as `*`. null: every namespace.
 */
function exportNamespaces(mr: Loaded): string[] | null {
  const list = metaRouterSpec(mr).exportTo
  if (!Array.isArray(list) || list.length === 0) return null
  const namespaces = list.map(ns => (ns === '*' ? AERAKI_ROOT_NAMESPACE : ns === '.' ? (mr.obj.metadata?.namespace ?? 'default') : ns))
  return namespaces.includes(AERAKI_ROOT_NAMESPACE) ? null : namespaces
}

function rateLimitFor(world: World, spec: MetaRouterSpec, query: PredictQuery, clientView: ReadonlyMap<string, string>, p: Prediction, service: MeshService): RateLimitOutcome | null {
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
  const pods = query.serverPods !== undefined ? {count: query.serverPods, from: '--server-pods'} : serverPodCount(world, service, p)
  let clientObserved: RateLimitOutcome['clientObserved'] = null
  if (pods && pods.count > 1) {
    const globalCap = global?.decision === 'limited-by-service' ? global.limit!.requestsPerUnit : Infinity
    const localCap = local.bucket !== null ? (local.capacity ?? 0) : Infinity
    const most = Math.min(n, pods.count * localCap, globalCap)
    clientObserved = {serverPods: pods.count, from: pods.from, allowed: [allowed, most], rejected: [n - most, n - allowed]}
  }
  return {
    sequence: n,
    allowed,
    rejected: n - allowed,
    clientObserved,
    enforcedAt: 'server-side inbound proxy, per server pod (a burst within one fill interval)',
    local: spec.localRateLimit ? {bucket: local.bucket, capacity: local.capacity, fillInterval: local.fillIntervalMs === null ? null : `${local.fillIntervalMs}ms`} : null,
    global: global ? {decision: global.decision, descriptor: global.descriptor, descriptors: global.descriptors, limit: global.limit} : null,
  }
}

/**
 * A hash key (route hash_policy, from the DestinationRule's consistentHash.httpHeaderName; hash_policy_impl.cc
 * generateHash) or a global rate limit property (ratelimit.cc shouldRateLimit) is read with Metadata::getString;
 * naming an attribute the codec stores as a number or bool throws std::bad_any_cast in the proxy.
 */
function nonStringAttributeFindings(mr: Loaded, table: RouteTable, applicationProtocol: string): Finding[] {
  const bad = NON_STRING_ATTRIBUTES[applicationProtocol]
  if (!bad) return []
  const out: Finding[] = []
  const resource = resourceName(mr.obj)
  for (const key of new Set(table.routes.flatMap(r => r.hashPolicy))) {
    if (bad.has(key)) out.push({code: 'NON_STRING_ATTRIBUTE', severity: 'error', message: `the hash key "${key}" (DestinationRule consistentHash.httpHeaderName) is not a string attribute in the ${applicationProtocol} codec: the proxy's getString throws std::bad_any_cast and the sidecar crashes on the first request of a hashed route`, resource})
  }
  const descriptors = metaRouterSpec(mr).globalRateLimit?.descriptors
  ;(Array.isArray(descriptors) ? descriptors : []).forEach((d, i) => {
    if (d?.property && bad.has(String(d.property))) out.push({code: 'NON_STRING_ATTRIBUTE', severity: 'error', message: `the global rate limit property "${d.property}" is not a string attribute in the ${applicationProtocol} codec: the proxy's getString throws std::bad_any_cast and the sidecar crashes on the first matching request`, resource, path: `spec.globalRateLimit.descriptors[${i}].property`})
  })
  return out
}

/**
 * Server pods behind the picked cluster: running Pods, else Deployment replicas, among the inputs (or the cluster)
 * whose labels match the Service selector and the subset's labels. undefined when none are known.
 */
function serverPodCount(world: World, service: MeshService, p: Prediction): {count: number; from: string} | undefined {
  const cluster = p.selectedCluster ?? (p.clusters.length === 1 ? p.clusters[0].name : null)
  const parsed = cluster ? parseCluster(cluster) : undefined
  const subset = parsed?.subset ? destinationRulesForHost(world, parsed.host).flatMap(subsetsOf).find((x: any) => x?.name === parsed.subset)?.labels : undefined
  if (parsed?.subset && !subset) return undefined
  const selector = podSelectorOf(service)
  if (!selector) return undefined
  const want = {...selector, ...(subset ?? {})}
  const running = runningPodsSelectedBy(world, service.namespace, want)
  if (running.length > 0) return {count: running.length, from: `${running.length} running pods`}
  const deployments = world.deployments.filter(d => (d.obj.metadata?.namespace ?? 'default') === service.namespace && carriesLabels(d.obj.spec?.template?.metadata?.labels, want))
  if (deployments.length === 0) return undefined
  const count = deployments.reduce((sum, d) => sum + (d.obj.spec?.replicas === undefined ? 1 : Number(d.obj.spec.replicas) || 0), 0)
  return {count, from: `replicas of ${deployments.map(d => resourceName(d.obj)).join(', ')}`}
}

/** `namespace/name` of a MetaRouter. */
function objectRef(l: Loaded): string {
  return `${l.obj.metadata?.namespace ?? 'default'}/${l.obj.metadata?.name ?? ''}`
}
