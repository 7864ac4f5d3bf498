// All MetaProtocol tables of a dump for people: listeners, routes, referenced clusters, then warnings.
// Headings and empty states are plain sentences; colouring is left to the caller.

import type {RouteTable} from '../../routing/types.js'
import {extractClusters, hasClustersSection, type ClusterInfo} from '../clusters.js'
import {asConfigDump, type DumpInput} from '../input.js'
import {extractMetaProtocolListeners, type MetaProtocolListener} from '../listeners.js'
import {extractMetaProtocolRouteTablesDetailed, type RouteTableWarning} from '../route-tables.js'
import {renderReferencedClustersTable} from './render-clusters.js'
import {renderListenersTable} from './render-listeners.js'
import {renderRoutesTable} from './render-routes.js'
import type {TextTableOptions} from './text-table.js'

export interface MetaProtocolTablesInput {
  listeners: MetaProtocolListener[]
  tables: RouteTable[]
  clusters: ClusterInfo[]
  warnings?: RouteTableWarning[]
  /** False when the dump has no Aeraki section at all. */
  hasMetaProtocolSection?: boolean
  /** false: the dump has no clusters section (clusters are then "not in this dump", never MISSING). */
  hasClustersSection?: boolean
}

function isTablesInput(input: unknown): input is MetaProtocolTablesInput {
  return typeof input === 'object' && input !== null && 'listeners' in input && 'tables' in input && 'clusters' in input
}

function fromDump(input: DumpInput): MetaProtocolTablesInput {
  const dump = asConfigDump(input)
  const {tables, warnings, hasMetaProtocolSection} = extractMetaProtocolRouteTablesDetailed(dump)
  return {listeners: extractMetaProtocolListeners(dump), tables, clusters: extractClusters(dump), warnings, hasMetaProtocolSection, hasClustersSection: hasClustersSection(dump)}
}

export function renderMetaProtocolTables(input: DumpInput | MetaProtocolTablesInput, options: TextTableOptions = {}): string {
  const data = isTablesInput(input) ? input : fromDump(input)
  const blocks: string[] = []
  blocks.push(
    data.listeners.length > 0
      ? `MetaProtocol listeners\n${renderListenersTable(data.listeners, options)}`
      : 'MetaProtocol listeners: none (no listener carries the MetaProtocol Proxy filter)',
  )
  if (data.tables.length > 0) {
    blocks.push(`MetaProtocol routes\n${renderRoutesTable(data.tables, options)}`)
    blocks.push(`Clusters referenced by MetaProtocol routes\n${renderReferencedClustersTable(data.tables, data.hasClustersSection === false ? null : data.clusters, options)}`)
    const limited = data.tables.filter((t) => t.rateLimits && t.rateLimits.length > 0)
    if (limited.length > 0) blocks.push(`Rate limits (filters of the listener holding the table)\n${limited.map((t) => t.rateLimits!.map((l) => `${t.name}  ${l}`).join('\n')).join('\n')}`)
  } else if (data.hasMetaProtocolSection === false) {
    blocks.push('MetaProtocol routes: none (the dump has no Aeraki MetaProtocol routes section)')
  } else {
    blocks.push('MetaProtocol routes: no MetaProtocol routes received yet')
  }
  if (data.warnings && data.warnings.length > 0) {
    blocks.push(data.warnings.map((w) => `warning: ${w.table}${w.route !== undefined ? `/${w.route}` : ''}: ${w.message}`).join('\n'))
  }
  return blocks.join('\n\n') + '\n'
}
