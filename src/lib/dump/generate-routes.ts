// RouteTable → the JSON the proxy prints for an `aeraki.meta_protocol_proxy.config.route.v1alpha.RouteConfiguration`
// (config-dump.md §3.1-3.2): snake_case keys in field-number order, proto3 defaults omitted except oneof members,
// weights as UInt32Value numbers, mirror fractions over MILLION as Aeraki sends them.

import type {AttributeMatcher, KeyValue, RouteEntry, RouteTable} from '../routing/types.js'
import type {JsonObject} from './json.js'
import {AERAKI_ROUTE_CONFIGURATION, TYPE_URL_PREFIX} from './type-urls.js'

function headerMatcherJson(m: AttributeMatcher): JsonObject {
  const out: JsonObject = {}
  if (m.name !== '') out.name = m.name
  // The specifier is a oneof, so it prints even when it holds the default "" (config-dump.md §1.7).
  switch (m.kind) {
    case 'exact':
      out.exact_match = m.value ?? ''
      break
    case 'prefix':
      out.prefix_match = m.value ?? ''
      break
    case 'regex':
      out.safe_regex_match = {google_re2: {}, regex: m.value ?? ''}
      break
    case 'present':
      out.present_match = true
      break
  }
  return out
}

function keyValuesJson(list: readonly KeyValue[]): JsonObject[] {
  return list.map((kv) => {
    const out: JsonObject = {}
    if (kv.key !== '') out.key = kv.key
    if (kv.value !== '') out.value = kv.value
    return out
  })
}

function routeActionJson(entry: RouteEntry): JsonObject {
  const route: JsonObject = {}
  if (entry.action.kind === 'cluster') {
    route.cluster = entry.action.cluster
  } else {
    const clusters = entry.action.clusters.map((c) => (c.name === '' ? {weight: c.weight} : {name: c.name, weight: c.weight}))
    const weighted: JsonObject = {}
    if (clusters.length > 0) weighted.clusters = clusters
    // Aeraki sets total_weight to the sum of the weights (aeraki internal/xds/cache_mgr.go constructAction).
    weighted.total_weight = entry.action.clusters.reduce((sum, c) => sum + c.weight, 0)
    route.weighted_clusters = weighted
  }
  if (entry.hashPolicy.length > 0) route.hash_policy = [...entry.hashPolicy]
  if (entry.mirror) {
    const fraction: JsonObject = {}
    if (entry.mirror.numerator !== 0) fraction.numerator = entry.mirror.numerator
    fraction.denominator = 'MILLION'
    const policy: JsonObject = {}
    if (entry.mirror.cluster !== '') policy.cluster = entry.mirror.cluster
    policy.runtime_fraction = {default_value: fraction}
    route.request_mirror_policies = [policy]
  }
  return route
}

export function routeEntryJson(entry: RouteEntry): JsonObject {
  const out: JsonObject = {}
  if (entry.name !== '') out.name = entry.name
  // `match` is only emitted when the route has matchers (config-dump.md §3.2).
  if (entry.matchers.length > 0) out.match = {metadata: entry.matchers.map(headerMatcherJson)}
  out.route = routeActionJson(entry)
  if (entry.requestMutation.length > 0) out.request_mutation = keyValuesJson(entry.requestMutation)
  if (entry.responseMutation.length > 0) out.response_mutation = keyValuesJson(entry.responseMutation)
  return out
}

export function routeConfigurationJson(table: RouteTable): JsonObject {
  const out: JsonObject = {'@type': TYPE_URL_PREFIX + AERAKI_ROUTE_CONFIGURATION}
  if (table.name !== '') out.name = table.name
  if (table.routes.length > 0) out.routes = table.routes.map(routeEntryJson)
  return out
}
