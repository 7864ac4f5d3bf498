// Reads the MetaProtocol route tables from the Aeraki section only. Envoy's own RoutesConfigDump (HTTP
// routes such as the demo's Prometheus config `9090`) is a different @type and is never looked at.

import type {RouteTable} from '../routing/types.js'
import {anyTypeName, objectField, stringField} from './json.js'
import {findMetaProtocolFilters} from './listeners.js'
import {asConfigDump, type DumpInput} from './input.js'
import type {ConfigDump} from './parse.js'
import {routeTableOf, type RouteTableWarning} from './route-config.js'
import {findSections, sectionListItems} from './sections.js'
import {AERAKI_ROUTE_CONFIGURATION} from './type-urls.js'

export type {RouteTableWarning} from './route-config.js'

export interface RouteTableExtraction {
  tables: RouteTable[]
  /** Where each table came from, index-aligned with `tables`. */
  sources: Array<'static' | 'dynamic' | 'inline'>
  warnings: RouteTableWarning[]
  /** True when the dump has an Aeraki section at all (absent: the sidecar has no MetaProtocol proxy). */
  hasMetaProtocolSection: boolean
}

/** Application protocol per route config name, from the listeners that reference it. */
function applicationProtocolsByRouteConfig(dump: ConfigDump): Map<string, string> {
  const byName = new Map<string, string>()
  for (const {summary} of findMetaProtocolFilters(dump)) {
    if (summary.routeConfigName && !byName.has(summary.routeConfigName)) byName.set(summary.routeConfigName, summary.applicationProtocol)
  }
  return byName
}

export function extractMetaProtocolRouteTablesDetailed(input: DumpInput): RouteTableExtraction {
  const dump = asConfigDump(input)
  // Field-number order: static_route_configs (2) before dynamic_route_configs (3), config-dump.md §1.4.
  const items = sectionListItems(dump, 'metaprotocol', ['static_route_configs', 'dynamic_route_configs'], {
    StaticRouteConfig: 'static_route_configs',
    DynamicRouteConfig: 'dynamic_route_configs',
  })
  const hasMetaProtocolSection = items.length > 0 || findSections(dump, 'metaprotocol').length > 0
  const protocols = applicationProtocolsByRouteConfig(dump)
  const result: RouteTableExtraction = {tables: [], sources: [], warnings: [], hasMetaProtocolSection}
  for (const {item, list} of items) {
    const routeConfig = objectField(item, 'route_config')
    if (!routeConfig) continue
    const typeName = anyTypeName(routeConfig)
    if (typeName !== undefined && typeName !== AERAKI_ROUTE_CONFIGURATION) {
      result.warnings.push({table: stringField(routeConfig, 'name') ?? '', message: `skipped a route config of type ${typeName} in the MetaProtocol section`})
      continue
    }
    const isStatic = list === 'static_route_configs'
    const name = stringField(routeConfig, 'name') ?? ''
    const table = routeTableOf(
      routeConfig,
      {
        applicationProtocol: protocols.get(name) ?? '',
        versionInfo: isStatic ? undefined : stringField(item, 'version_info'),
        lastUpdated: stringField(item, 'last_updated'),
      },
      result.warnings,
    )
    result.tables.push(table)
    result.sources.push(isStatic ? 'static' : 'dynamic')
  }
  // Server-side inbound proxies carry their table inline (`route_config`, not RDS; aeraki-mesh/aeraki
  // internal/plugin/metaprotocol/route.go buildInboundRouteConfig, named `inbound|<port>||`).
  const seen = new Set(result.tables.map(t => t.name))
  for (const {record, summary} of findMetaProtocolFilters(dump)) {
    const inline = summary.inlineRouteConfig
    if (!inline) continue
    const name = stringField(inline, 'name') ?? ''
    if (seen.has(name)) continue
    seen.add(name)
    const table = routeTableOf(inline, {applicationProtocol: summary.applicationProtocol, versionInfo: record.versionInfo, lastUpdated: record.lastUpdated}, result.warnings)
    if (summary.rateLimits) table.rateLimits = summary.rateLimits
    result.tables.push(table)
    result.sources.push('inline')
  }
  return result
}

export function extractMetaProtocolRouteTables(input: DumpInput): RouteTable[] {
  return extractMetaProtocolRouteTablesDetailed(input).tables
}
