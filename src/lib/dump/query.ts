// Envoy's `/config_dump` query parameters (config-dump.md §1.5) applied to a full dump, so the Kubernetes
// emulator can answer `GET /config_dump?…` and `pilot-agent request GET config_dump?…` as Envoy would,
// including Envoy's error statuses and texts. Field knowledge comes from envoy/admin/v3/config_dump*.proto
// and Aeraki's admin config_dump.proto (same field names as Envoy's RoutesConfigDump).

import {anyTypeName, camelToSnake, isObject, snakeToCamel, type JsonObject} from './json.js'
import type {ConfigDump} from './parse.js'
import {sectionTypeOf, type SectionKind} from './type-urls.js'

export type ConfigDumpQueryResult = {status: 200; body: ConfigDump} | {status: 400 | 404; body: string}

interface FieldSpec {
  /** Repeated field → nested message name used for `?resource=` elements. */
  repeated: Record<string, string>
  singular: string[]
}

const FIELDS: Record<SectionKind, FieldSpec> = {
  bootstrap: {repeated: {}, singular: ['bootstrap', 'last_updated']},
  clusters: {repeated: {static_clusters: 'StaticCluster', dynamic_active_clusters: 'DynamicCluster', dynamic_warming_clusters: 'DynamicCluster'}, singular: ['version_info']},
  ecds: {repeated: {ecds_filters: 'EcdsFilterConfig'}, singular: []},
  endpoints: {repeated: {static_endpoint_configs: 'StaticEndpointConfig', dynamic_endpoint_configs: 'DynamicEndpointConfig'}, singular: []},
  listeners: {repeated: {static_listeners: 'StaticListener', dynamic_listeners: 'DynamicListener'}, singular: ['version_info']},
  metaprotocol: {repeated: {static_route_configs: 'StaticRouteConfig', dynamic_route_configs: 'DynamicRouteConfig'}, singular: []},
  scopedRoutes: {repeated: {inline_scoped_route_configs: 'InlineScopedRouteConfigs', dynamic_scoped_route_configs: 'DynamicScopedRouteConfigs'}, singular: []},
  routes: {repeated: {static_route_configs: 'StaticRouteConfig', dynamic_route_configs: 'DynamicRouteConfig'}, singular: []},
  secrets: {repeated: {static_secrets: 'StaticSecret', dynamic_active_secrets: 'DynamicSecret', dynamic_warming_secrets: 'DynamicSecret'}, singular: []},
}

/** The name `?name_regex=` is matched against, per list element. */
function resourceName(element: JsonObject): string | undefined {
  const direct = element.name
  if (typeof direct === 'string') return direct
  for (const inner of ['listener', 'cluster', 'route_config', 'secret', 'ecds_filter']) {
    const value = element[inner]
    if (isObject(value) && typeof value.name === 'string') return value.name
  }
  const endpoints = element.endpoint_config
  if (isObject(endpoints) && typeof endpoints.cluster_name === 'string') return endpoints.cluster_name
  return undefined
}

function valueOf(obj: JsonObject, snake: string): unknown {
  return obj[snake] ?? obj[snakeToCamel(snake)]
}

/** Keeps only the mask paths of `value`; `@type` of packed Anys is kept, as Envoy re-packs them. */
function trimToMask(value: JsonObject, paths: readonly string[][]): JsonObject {
  const out: JsonObject = {}
  if (typeof value['@type'] === 'string') out['@type'] = value['@type']
  for (const path of paths) {
    const [head, ...rest] = path
    const child = valueOf(value, head)
    if (child === undefined) continue
    if (rest.length === 0) out[head] = child
    else if (isObject(child)) {
      const existing = isObject(out[head]) ? (out[head] as JsonObject) : {}
      out[head] = {...existing, ...trimToMask(child, [rest])}
    }
  }
  return out
}

function sectionFields(kind: SectionKind): string[] {
  return [...Object.keys(FIELDS[kind].repeated), ...FIELDS[kind].singular]
}

export function applyConfigDumpQuery(dump: ConfigDump, query: string | URLSearchParams): ConfigDumpQueryResult {
  const params = typeof query === 'string' ? new URLSearchParams(query.replace(/^.*?\?/, '')) : query
  const includeEds = params.has('include_eds')
  const resource = params.get('resource')
  const maskText = params.get('mask')
  const mask = maskText ? maskText.split(',').filter((p) => p !== '').map((p) => p.split('.')) : undefined
  const nameRegexText = params.get('name_regex')
  let nameRegex: RegExp | undefined
  if (nameRegexText !== null) {
    try {
      nameRegex = new RegExp(`^(?:${nameRegexText})$`)
    } catch {
      return {status: 400, body: `Error while parsing name_regex from ${nameRegexText}`}
    }
  }
  const keepName = (element: JsonObject): boolean => {
    if (!nameRegex) return true
    const name = resourceName(element)
    return name !== undefined && nameRegex.test(name)
  }

  const sections: Array<{kind: SectionKind; typeName: string; entry: JsonObject}> = []
  for (const entry of dump.configs) {
    const typeName = anyTypeName(entry)
    const type = typeName === undefined ? undefined : sectionTypeOf(typeName)
    if (!type || type.element || !isObject(entry)) continue
    // The endpoints section only exists when asked for (tracker key `endpoint`, config-dump.md §1.2).
    if (type.kind === 'endpoints' && !includeEds) continue
    sections.push({kind: type.kind, typeName: typeName!, entry})
  }

  if (resource !== null) {
    for (const {kind, typeName, entry} of sections) {
      const spec = FIELDS[kind]
      if (spec.singular.includes(resource)) {
        return {status: 400, body: `${resource} is not a repeated field. Use ?mask=${resource} to get only this field`}
      }
      const element = spec.repeated[resource]
      if (!element) continue
      const items = (valueOf(entry, resource) as unknown[] | undefined) ?? []
      const configs = items
        .filter(isObject)
        .filter(keepName)
        .map((item) => {
          const packed = {'@type': `type.googleapis.com/${typeName}.${element}`, ...item}
          return mask ? trimToMask(packed, mask) : packed
        })
      return {status: 200, body: {configs}}
    }
    return {status: 404, body: `${resource} not found in config dump`}
  }

  const configs: JsonObject[] = []
  for (const {kind, entry} of sections) {
    const fields = sectionFields(kind)
    if (mask && !mask.every((path) => fields.includes(path[0]))) continue
    let section: JsonObject = entry
    if (nameRegex) {
      section = {}
      for (const [key, value] of Object.entries(entry)) {
        if (!(camelToSnake(key) in FIELDS[kind].repeated) || !Array.isArray(value)) {
          section[key] = value
          continue
        }
        // Envoy leaves empty repeated fields out.
        const kept = value.filter((item) => isObject(item) && keepName(item))
        if (kept.length > 0) section[key] = kept
      }
    }
    configs.push(mask ? trimToMask(section, mask) : section)
  }
  if (mask && configs.length === 0) {
    return {status: 400, body: `FieldMask paths: "${maskText}" could not be successfully applied to any configs.`}
  }
  return {status: 200, body: {configs}}
}
