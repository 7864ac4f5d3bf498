// MetaRouter (+ DestinationRule) -> MetaProtocol route table, as Aeraki's cache_mgr.go builds it (spec §2.3–2.6).
import type {Destination, Loaded, MetaRouteSpec, StringMatch} from '../resources/types.js'
import {outboundCluster, routeTableName} from './names.js'
import type {AttributeMatcher, KeyValue, RouteEntry, RouteTable} from './types.js'
import {destinationRulesForHost, metaRouterSpec, metaRoutersForHost, subsetsOf, type MeshPort, type MeshService, type World} from './world.js'

/** Every MetaRouter whose `hosts` contains the service host verbatim, in input order (Aeraki's order is arbitrary). */
export function metaRoutersFor(world: World, host: string): Loaded[] {
  return metaRoutersForHost(world, host)
}

/** The DestinationRules Aeraki may pick for a service (both names expanded, IsFQDNEquals); it uses one of them. */
export function destinationRulesFor(world: World, service: MeshService): Loaded[] {
  return destinationRulesForHost(world, service.host, service.namespace)
}

export function buildRouteTable(service: MeshService, port: MeshPort, metaRouter: Loaded | null, dr: Loaded | null): RouteTable {
  const base = {
    name: routeTableName(service.host, port.number),
    host: service.host,
    port: port.number,
    applicationProtocol: port.applicationProtocol ?? '',
  }
  const routes = metaRouter ? metaRouterSpec(metaRouter).routes : undefined
  if (!metaRouter || !Array.isArray(routes) || routes.length === 0) {
    return {...base, routes: [defaultRoute(service, port, dr)]}
  }
  return {...base, routes: routes.map((r, i) => translateRoute(r ?? {}, i, port.number, dr))}
}

function defaultRoute(service: MeshService, port: MeshPort, dr: Loaded | null): RouteEntry {
  const hash = topLevelHashHeader(dr)
  return {
    name: 'default',
    matchers: [],
    action: {kind: 'cluster', cluster: outboundCluster(port.number, '', service.host)},
    hashPolicy: hash ? [hash] : [],
    mirror: null,
    requestMutation: [],
    responseMutation: [],
  }
}

export function translateRoute(r: MetaRouteSpec, index: number, servicePort: number, dr: Loaded | null): RouteEntry {
  const destinations = Array.isArray(r.route) ? r.route : []
  const clusterOf = (d: Destination | undefined) => outboundCluster(d?.port?.number || servicePort, d?.subset || '', d?.host ?? '')
  const action: RouteEntry['action'] =
    destinations.length === 1
      ? {kind: 'cluster', cluster: clusterOf(destinations[0]?.destination)}
      : {kind: 'weighted', clusters: destinations.map(d => ({name: clusterOf(d?.destination), weight: Number(d?.weight ?? 0) || 0}))}
  const pct = Number(r.mirrorPercentage?.value ?? 0) || 100
  return {
    name: r.name ?? '',
    matchers: matchersOf(r.match?.attributes),
    action,
    hashPolicy: destinations.flatMap(d => hashFor(dr, d?.destination?.subset)),
    mirror: r.mirror ? {cluster: clusterOf(r.mirror), numerator: Math.trunc(pct * 10000)} : null,
    requestMutation: pairs(r.requestMutation),
    responseMutation: pairs(r.responseMutation),
    sourcePath: `spec.routes[${index}]`,
  }
}

/** MetaMatch2HttpHeaderMatch: `{}`/null StringMatches are dropped (not a presence check); `regex: "*"` is presence. */
export function matchersOf(attributes: Record<string, StringMatch | null> | undefined): AttributeMatcher[] {
  const out: AttributeMatcher[] = []
  for (const [name, sm] of Object.entries(attributes ?? {})) {
    if (sm === null || typeof sm !== 'object') continue
    if (sm.regex === '*') out.push({name, kind: 'present'})
    else if ('exact' in sm && sm.exact !== undefined) out.push({name, kind: 'exact', value: String(sm.exact)})
    else if ('prefix' in sm && sm.prefix !== undefined) out.push({name, kind: 'prefix', value: String(sm.prefix)})
    else if ('regex' in sm && sm.regex !== undefined) out.push({name, kind: 'regex', value: String(sm.regex)})
  }
  return out
}

function pairs(list: Array<{key?: string; value?: string}> | undefined): KeyValue[] {
  return (Array.isArray(list) ? list : []).map(p => ({key: String(p?.key ?? ''), value: String(p?.value ?? '')}))
}

function topLevelHashHeader(dr: Loaded | null): string | undefined {
  const h = dr?.obj.spec?.trafficPolicy?.loadBalancer?.consistentHash?.httpHeaderName
  return typeof h === 'string' && h !== '' ? h : undefined
}

/** GetHashPolicy (Aeraki >= 1.1.1): a subset looks only at its own policy; no subset uses the top-level one. */
function hashFor(dr: Loaded | null, subset: string | undefined): string[] {
  if (!subset) {
    const h = topLevelHashHeader(dr)
    return h ? [h] : []
  }
  const h = subsetsOf(dr).find(s => s?.name === subset)?.trafficPolicy?.loadBalancer?.consistentHash?.httpHeaderName
  return typeof h === 'string' && h !== '' ? [h] : []
}

/**
 * The table of a server-side inbound MetaProtocol proxy: inline, named `inbound|<port>||`, one route without match to
 * the inbound cluster of the same name (aeraki-mesh/aeraki internal/plugin/metaprotocol/route.go
 * buildInboundRouteConfig). MetaRouter routes never reach it; only the rate-limit filters beside it come from them.
 */
export function inboundRouteTable(port: number, applicationProtocol: string): RouteTable {
  const name = `inbound|${port}||`
  return {name, host: '', port, applicationProtocol, routes: [{name: '', matchers: [], action: {kind: 'cluster', cluster: name}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []}]}
}

/** Translates every MetaProtocol port of every service: what Aeraki would push over RDS. */
export function translateAll(world: World): RouteTable[] {
  const tables: RouteTable[] = []
  for (const s of world.services) {
    for (const p of s.ports) {
      if (p.applicationProtocol === undefined) continue
      const candidates = metaRoutersFor(world, s.host)
      const first = candidates[0] ?? null
      const dr = destinationRulesFor(world, s)[0] ?? null
      tables.push(buildRouteTable(s, p, first, dr))
    }
  }
  return tables
}
