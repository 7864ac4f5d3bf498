// The set of objects a prediction is made from, indexed the way Aeraki sees them (spec §2.1, §2.3).
import {createRequire} from 'node:module'
import {keptKind, resourceName} from '../resources/kinds.js'
import type {KubeObject, Loaded, MetaRouterSpec} from '../resources/types.js'
import {expandHost, parseMetaProtocolPortName, serviceFqdn} from './names.js'
import {admit, servedSchemasOf, type Schema} from '../validate/structural.js'

export interface MeshPort {
  number: number
  name: string
  /** Set for MetaProtocol ports. */
  applicationProtocol?: string
  /** `tcp-metaprotocol` with no third token. */
  missingProtocol?: boolean
}

export interface MeshService {
  /** hosts[0] of the (synthesised) ServiceEntry. */
  host: string
  namespace: string
  origin: 'Service' | 'ServiceEntry'
  ports: MeshPort[]
  loaded: Loaded
}

export interface RateLimitDescriptorConfig {
  key: string
  value?: string
  rate_limit?: {unit?: string; requests_per_unit?: number}
  descriptors?: RateLimitDescriptorConfig[]
}

export interface RateLimitServiceConfig {
  domain: string
  descriptors: RateLimitDescriptorConfig[]
  source: string
}

export interface World {
  services: MeshService[]
  metaRouters: Loaded[]
  destinationRules: Loaded[]
  /** protocol -> codec; dubbo and thrift are registered by Aeraki itself. */
  codecs: Map<string, string>
  rateLimitConfigs: RateLimitServiceConfig[]
  /** Pods, when the inputs include them (a live cluster): what DestinationRule subsets select. */
  pods: Loaded[]
  /** Deployments among the inputs: how many server pods a subset has when no Pods are loaded. */
  deployments: Loaded[]
  /** Objects that were not used, one line each. */
  skipped: string[]
  /** openAPIV3Schemas of the metaprotocol.aeraki.io CRDs among the inputs (a cluster's served CRDs), by `Kind/version`. */
  servedSchemas: Map<string, Schema>
}

export const BUILTIN_CODECS: ReadonlyArray<[string, string]> = [
  ['dubbo', 'aeraki.meta_protocol.codec.dubbo'],
  ['thrift', 'aeraki.meta_protocol.codec.thrift'],
]

export function buildWorld(objects: Loaded[]): World {
  const world: World = {services: [], metaRouters: [], destinationRules: [], codecs: new Map(BUILTIN_CODECS), rateLimitConfigs: [], pods: [], deployments: [], skipped: [], servedSchemas: new Map()}
  // The API server prunes with the schema it serves: read CustomResourceDefinitions first.
  for (const l of objects) {
    if (l.obj.kind === 'CustomResourceDefinition' && l.obj.spec?.group === 'metaprotocol.aeraki.io') for (const [k, s] of servedSchemasOf(l.obj)) world.servedSchemas.set(k, s)
  }
  for (const raw of objects) {
    const kind = keptKind(raw.obj)
    if (raw.obj.kind === 'CustomResourceDefinition') continue
    if (raw.obj.kind === 'Deployment' && (raw.obj.apiVersion ?? '').startsWith('apps/')) {
      world.deployments.push(raw)
      continue
    }
    // Aeraki's kinds as the API server stores them: nulls and unknown fields pruned (validate/structural.ts).
    const l = kind === 'MetaRouter' || kind === 'ApplicationProtocol' ? admit(raw, world.servedSchemas) : raw
    switch (kind) {
      case 'MetaRouter':
        world.metaRouters.push(l)
        break
      case 'DestinationRule':
        world.destinationRules.push(l)
        break
      case 'Service': {
        const s = fromService(l)
        if (s) world.services.push(s)
        else world.skipped.push(`${resourceName(l.obj)}: no name or namespace`)
        break
      }
      case 'ServiceEntry': {
        const s = fromServiceEntry(l)
        if (s) world.services.push(s)
        else world.skipped.push(`${resourceName(l.obj)}: no hosts`)
        break
      }
      case 'ApplicationProtocol': {
        const p = l.obj.spec?.protocol
        const c = l.obj.spec?.codec
        if (typeof p === 'string' && typeof c === 'string') world.codecs.set(p, c)
        break
      }
      case 'Pod':
        world.pods.push(l)
        break
      case 'ConfigMap': {
        const cfg = rateLimitConfigOf(l)
        if (cfg) world.rateLimitConfigs.push(cfg)
        else world.skipped.push(`${resourceName(l.obj)}: not a rate limit service configuration`)
        break
      }
      default:
        world.skipped.push(`${resourceName(l.obj)} (${l.obj.apiVersion}): not used for routing`)
    }
  }
  return world
}

function portsOf(list: unknown, numberField: 'port' | 'number'): MeshPort[] {
  if (!Array.isArray(list)) return []
  const out: MeshPort[] = []
  for (const p of list) {
    const number = Number(p?.[numberField])
    if (!Number.isInteger(number)) continue
    const name = typeof p?.name === 'string' ? p.name : ''
    const parsed = parseMetaProtocolPortName(name)
    out.push({
      number,
      name,
      ...(parsed.kind === 'metaprotocol' ? {applicationProtocol: parsed.applicationProtocol} : {}),
      ...(parsed.kind === 'metaprotocol-without-protocol' ? {missingProtocol: true} : {}),
    })
  }
  return out
}

function fromService(l: Loaded): MeshService | undefined {
  const name = l.obj.metadata?.name
  const namespace = l.obj.metadata?.namespace ?? 'default'
  if (!name) return undefined
  return {host: serviceFqdn(name, namespace), namespace, origin: 'Service', ports: portsOf(l.obj.spec?.ports, 'port'), loaded: l}
}

function fromServiceEntry(l: Loaded): MeshService | undefined {
  const hosts = l.obj.spec?.hosts
  if (!Array.isArray(hosts) || typeof hosts[0] !== 'string') return undefined
  const namespace = l.obj.metadata?.namespace ?? 'default'
  return {host: hosts[0], namespace, origin: 'ServiceEntry', ports: portsOf(l.obj.spec?.ports, 'number'), loaded: l}
}

/**
 * YAML texts of ConfigMaps already parsed, by text: the build's embedded demo carries its rate limit config.yaml
 * parsed (scripts/gen-embedded.mjs), so a dry-run on it never loads js-yaml (~14 ms of a 180 ms start).
 */
const parsedYaml = new Map<string, unknown>()

export function rememberParsedYaml(entries: Iterable<[string, unknown]>): void {
  for (const [text, value] of entries) parsedYaml.set(text, value)
}

/** The YAML entries (`key`, text) of a ConfigMap's data, which buildWorld parses (and the build parses ahead). */
export function yamlDataOf(l: Loaded): Array<[string, string]> {
  if (l.obj.kind !== 'ConfigMap') return []
  return Object.entries(l.obj.data ?? {}).filter((e): e is [string, string] => /\.ya?ml$/.test(e[0]) && typeof e[1] === 'string')
}

function parseYaml(text: string): unknown {
  if (parsedYaml.has(text)) return parsedYaml.get(text)
  // Loaded only here, synchronously, when a ConfigMap the build did not parse is met.
  const {load} = createRequire(import.meta.url)('js-yaml') as typeof import('js-yaml')
  return load(text)
}

/** The demo keeps the Envoy ratelimit service's config.yaml in a ConfigMap (`rate-limit-config`). */
function rateLimitConfigOf(l: Loaded): RateLimitServiceConfig | undefined {
  for (const [key, text] of yamlDataOf(l)) {
    let parsed: any
    try {
      parsed = parseYaml(text)
    } catch {
      continue
    }
    if (parsed && typeof parsed.domain === 'string' && Array.isArray(parsed.descriptors)) {
      return {domain: parsed.domain, descriptors: parsed.descriptors, source: `${resourceName(l.obj)} ${key}`}
    }
  }
  return undefined
}

export function metaRouterSpec(l: Loaded): MetaRouterSpec {
  return (l.obj.spec ?? {}) as MetaRouterSpec
}

/**
 * DestinationRules whose host names this host, in input order. Istio's side (cluster subsets) expands only the
 * DestinationRule's short name. With `serviceNamespace` it is Aeraki's lookup (aeraki-mesh/aeraki
 * internal/xds/cache_mgr.go findRelatedDestinationRule -> internal/model/utils.go IsFQDNEquals), which expands both
 * names: a dot-less ServiceEntry host `foo` in ns matches a DestinationRule for `foo.ns.svc.cluster.local`.
 */
export function destinationRulesForHost(world: World, host: string, serviceNamespace?: string): Loaded[] {
  const wanted = serviceNamespace === undefined ? host : expandHost(host, serviceNamespace)
  return [...(indexBy(drsByHost, world.destinationRules, drHosts).get(wanted) ?? [])]
}

/** The services (Services and ServiceEntries) whose host is exactly this one, in input order. */
export function servicesForHost(world: World, host: string): MeshService[] {
  return [...(indexBy(servicesByHost, world.services, s => [s.host]).get(host) ?? [])]
}

/** The Pods among the inputs in one namespace, in input order. */
export function podsInNamespace(world: World, namespace: string): Loaded[] {
  return [...(indexBy(podsByNamespace, world.pods, p => [p.obj.metadata?.namespace ?? 'default']).get(namespace) ?? [])]
}

/**
 * The running Pods (not terminating) of one namespace that carry every label of `want`, in input order: the pods a
 * Service selector plus a subset's labels select. Looked up by the first wanted label (an index of namespace and
 * label), then checked whole: on 2,000 subsets over 20,000 pods a scan of the namespace per destination took ~100 ms.
 */
export function runningPodsSelectedBy(world: World, namespace: string, want: Record<string, string>): Loaded[] {
  const entries = Object.entries(want)
  const candidates = entries.length === 0 ? podsInNamespace(world, namespace) : indexBy(podsByLabel, world.pods, podLabelKeys).get(labelKey(namespace, entries[0][0], entries[0][1])) ?? []
  return candidates.filter(p => !p.obj.metadata?.deletionTimestamp && (p.obj as any).status?.phase === 'Running' && carriesLabels(p.obj.metadata?.labels, want))
}

/**
 * The labels that pick a service's pods: a Service's spec.selector, a ServiceEntry's spec.workloadSelector.labels.
 * undefined when nothing picks them: a Service whose selector is absent or empty gets no endpoints from Kubernetes
 * (they are managed by hand; API reference ServiceSpec.selector: "If empty or not present, the service is assumed
 * to have an external process managing its endpoints").
 */
export function podSelectorOf(s: MeshService): Record<string, string> | undefined {
  const spec = s.loaded.obj.spec
  if (s.origin === 'ServiceEntry') return spec?.workloadSelector?.labels
  const selector = spec?.selector
  return selector && typeof selector === 'object' && Object.keys(selector).length > 0 ? selector : undefined
}

/** Whether `labels` has every label of `want` (a selector's match). */
export function carriesLabels(labels: Record<string, unknown> | undefined, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => labels?.[k] === v)
}

const labelKey = (namespace: string, key: string, value: string) => `${namespace}\u0000${key}\u0000${value}`

function podLabelKeys(p: Loaded): string[] {
  const ns = p.obj.metadata?.namespace ?? 'default'
  return Object.entries((p.obj.metadata?.labels ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string').map(([k, v]) => labelKey(ns, k, v))
}

/** The MetaRouters whose spec.hosts include this host, in input order. */
export function metaRoutersForHost(world: World, host: string): Loaded[] {
  return [...(indexBy(metaRoutersByHost, world.metaRouters, mrHosts).get(host) ?? [])]
}

function drHosts(dr: Loaded): string[] {
  const h = dr.obj.spec?.host
  return typeof h === 'string' ? [expandHost(h, dr.obj.metadata?.namespace)] : []
}

function mrHosts(mr: Loaded): string[] {
  const hosts = metaRouterSpec(mr).hosts
  return Array.isArray(hosts) ? [...new Set(hosts.filter((h): h is string => typeof h === 'string'))] : []
}

interface Index<T> {
  length: number
  map: Map<string, T[]>
}

const drsByHost = new WeakMap<Loaded[], Index<Loaded>>()
const servicesByHost = new WeakMap<MeshService[], Index<MeshService>>()
const podsByNamespace = new WeakMap<Loaded[], Index<Loaded>>()
const podsByLabel = new WeakMap<Loaded[], Index<Loaded>>()
const metaRoutersByHost = new WeakMap<Loaded[], Index<Loaded>>()

/**
 * A lookup by key over one of a World's lists, built on first use. The lists are only ever appended to (verify adds
 * a synthetic service), so a list of another length is indexed again. Before these, `route analyze` on 2,000
 * MetaRouters, Services and DestinationRules and 20,000 pods scanned every list for every destination (~8 s).
 */
function indexBy<T>(cache: WeakMap<T[], Index<T>>, list: T[], keys: (x: T) => string[]): Map<string, T[]> {
  let index = cache.get(list)
  if (!index || index.length !== list.length) {
    const map = new Map<string, T[]>()
    for (const x of list) {
      for (const k of keys(x)) {
        const at = map.get(k)
        if (at) at.push(x)
        else map.set(k, [x])
      }
    }
    index = {length: list.length, map}
    cache.set(list, index)
  }
  return index.map
}

/** The subsets of a DestinationRule (none when absent or malformed). */
export function subsetsOf(dr: Loaded | null | undefined): any[] {
  return Array.isArray(dr?.obj.spec?.subsets) ? dr!.obj.spec.subsets : []
}

export function metaProtocolPorts(s: MeshService): MeshPort[] {
  return s.ports.filter(p => p.applicationProtocol !== undefined)
}

export function asLoaded(obj: KubeObject, file = '<built-in>'): Loaded {
  return {obj, source: {file, doc: 0, line: 1, column: 1}}
}
