// Converts one dumped `aeraki.meta_protocol_proxy.config.route.v1alpha.RouteConfiguration` (config-dump.md
// §3.1-3.2) into a RouteTable of the simulator's model (src/lib/routing/types.ts).

import type {KeyValue, MirrorPolicy, RouteAction, RouteEntry, RouteTable, WeightedCluster} from '../routing/types.js'
import {convertHeaderMatcher} from './header-matcher.js'
import {arrayField, field, isObject, numberField, objectField, stringField, type JsonObject} from './json.js'
import {parseRouteTableName} from './table-name.js'
import {ConfigDumpError} from './parse.js'

export interface RouteTableWarning {
  table: string
  route?: string
  message: string
}

/** FractionalPercent denominators; a missing one is HUNDRED, the proto3 default that is not printed (§1.7). */
const DENOMINATOR_SCALE: Record<string, number> = {HUNDRED: 10_000, TEN_THOUSAND: 100, MILLION: 1, '0': 10_000, '1': 100, '2': 1}

/** Mirror fraction as a numerator over 1,000,000, the unit the simulator uses. */
export function mirrorNumeratorPerMillion(runtimeFraction: unknown): number | undefined {
  const fraction = objectField(runtimeFraction, 'default_value')
  if (!fraction) return undefined
  const numerator = numberField(fraction, 'numerator') ?? 0
  const denominator = field(fraction, 'denominator')
  const scale = denominator === undefined ? DENOMINATOR_SCALE.HUNDRED : DENOMINATOR_SCALE[String(denominator)]
  return scale === undefined ? undefined : numerator * scale
}

function keyValues(list: unknown[]): KeyValue[] {
  return list.filter(isObject).map((kv) => ({key: stringField(kv, 'key') ?? '', value: stringField(kv, 'value') ?? ''}))
}

const UINT32_MAX = 4_294_967_295

/** A ClusterWeight.weight as the proxy reads it: a uint32 (number, decimal string or {value}), else bad input. */
function uint32Weight(value: unknown, at: string): number {
  if (value === undefined || value === null) return 0
  const inner = isObject(value) && 'value' in value ? value.value : value
  const n = typeof inner === 'number' ? inner : typeof inner === 'string' && /^\s*\d+\s*$/.test(inner) ? Number(inner) : NaN
  if (Number.isInteger(n) && n >= 0 && n <= UINT32_MAX) return n
  const shown = Array.isArray(inner) ? 'a list' : isObject(inner) ? 'an object' : JSON.stringify(inner).slice(0, 40)
  throw new ConfigDumpError('rejected', `${at}: ${shown} is not an unsigned 32-bit integer (0 to ${UINT32_MAX}); the proxy rejects this route configuration`)
}

/** `at`: where the route is, for messages (`route table NAME, routes[2] "v1"`). */
function actionOf(route: JsonObject | undefined, warn: (message: string) => void, at = 'route'): RouteAction {
  const cluster = stringField(route, 'cluster')
  if (cluster !== undefined) return {kind: 'cluster', cluster}
  const weighted = objectField(route, 'weighted_clusters')
  if (weighted) {
    const list = arrayField(weighted, 'clusters')
    // envoy.config.route.v3.WeightedCluster (envoyproxy/envoy, api/envoy/config/route/v3/route_components.proto):
    // `clusters` has (validate.rules).repeated.min_items = 1, and each weight is a google.protobuf.UInt32Value, so
    // the proxy refuses (NACKs) anything else; proto3 JSON takes a number or a decimal string. Unset means 0.
    if (list.length === 0) throw new ConfigDumpError('rejected', `${at}.route.weighted_clusters.clusters: is empty; the proxy rejects a weighted_clusters without clusters (min_items: 1)`)
    const clusters: WeightedCluster[] = list.map((c, i) => {
      if (!isObject(c)) throw new ConfigDumpError('rejected', `${at}.route.weighted_clusters.clusters[${i}]: is not an object; the proxy rejects this route configuration`)
      return {name: stringField(c, 'name') ?? '', weight: uint32Weight(field(c, 'weight'), `${at}.route.weighted_clusters.clusters[${i}].weight`)}
    })
    return {kind: 'weighted', clusters}
  }
  warn('route has neither "cluster" nor "weighted_clusters"; shown with no destination')
  return {kind: 'weighted', clusters: []}
}

function hashPolicyOf(route: JsonObject | undefined): string[] {
  // The proxy stores plain metadata keys; Envoy HTTP style `{header: {header_name}}` is accepted too.
  return arrayField(route, 'hash_policy')
    .map((h) => (typeof h === 'string' ? h : stringField(objectField(h, 'header'), 'header_name')))
    .filter((h): h is string => h !== undefined)
}

function mirrorOf(route: JsonObject | undefined, warn: (message: string) => void): MirrorPolicy | null {
  const policies = arrayField(route, 'request_mirror_policies').filter(isObject)
  if (policies.length === 0) return null
  if (policies.length > 1) warn(`${policies.length} mirror policies; only the first is modelled`)
  const policy = policies[0]
  const cluster = stringField(policy, 'cluster') ?? ''
  const runtimeFraction = field(policy, 'runtime_fraction')
  const numerator = mirrorNumeratorPerMillion(runtimeFraction)
  if (numerator === undefined) {
    if (runtimeFraction !== undefined) warn(`mirror to "${cluster}" has an unknown fraction denominator; treated as never mirrored`)
    else warn(`mirror to "${cluster}" has no runtime_fraction; the proxy then never mirrors`)
    return {cluster, numerator: 0}
  }
  return {cluster, numerator}
}

function routeEntryOf(raw: JsonObject, tableName: string, warnings: RouteTableWarning[], index: number): RouteEntry {
  const name = stringField(raw, 'name') ?? ''
  const warn = (message: string): void => {
    warnings.push({table: tableName, route: name, message})
  }
  const matchers = arrayField(objectField(raw, 'match'), 'metadata').map((m) => {
    const converted = convertHeaderMatcher(m)
    if (converted.warning) warn(converted.warning)
    return converted.matcher
  })
  const route = objectField(raw, 'route')
  return {
    name,
    matchers,
    action: actionOf(route, warn, `route table ${tableName}, route "${name}" (routes[${index}])`),
    hashPolicy: hashPolicyOf(route),
    mirror: mirrorOf(route, warn),
    requestMutation: keyValues(arrayField(raw, 'request_mutation')),
    responseMutation: keyValues(arrayField(raw, 'response_mutation')),
  }
}

export interface RouteConfigContext {
  applicationProtocol: string
  versionInfo?: string
  lastUpdated?: string
}

export function routeTableOf(routeConfig: JsonObject, context: RouteConfigContext, warnings: RouteTableWarning[]): RouteTable {
  const name = stringField(routeConfig, 'name') ?? ''
  const {host, port} = parseRouteTableName(name)
  const table: RouteTable = {
    name,
    host,
    port,
    applicationProtocol: context.applicationProtocol,
    routes: arrayField(routeConfig, 'routes')
      .filter(isObject)
      .map((r, i) => routeEntryOf(r, name, warnings, i)),
  }
  if (context.versionInfo !== undefined) table.versionInfo = context.versionInfo
  if (context.lastUpdated !== undefined) table.lastUpdated = context.lastUpdated
  return table
}
