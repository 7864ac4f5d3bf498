// Public API of the config-dump library: parse, select, extract, redact, generate and render Envoy
// `/config_dump` output of Aeraki MetaProtocol sidecars. Pure: no network, no CLI framework.

export {parseConfigDump, ConfigDumpError, type ConfigDump, type ConfigDumpErrorCode} from './parse.js'
export {asConfigDump, type DumpInput} from './input.js'
export {findSections, selectSections as selectRawSections, DUMP_SECTIONS, type DumpSection} from './sections.js'
export {selectSections} from './select.js'
export {
  extractMetaProtocolListeners,
  listListeners,
  findMetaProtocolFilters,
  listenerEntryHasMetaProtocol,
  type MetaProtocolListener,
  type ListenerRecord,
  type ListenerState,
} from './listeners.js'
export {
  extractMetaProtocolRouteTables,
  extractMetaProtocolRouteTablesDetailed,
  type RouteTableExtraction,
  type RouteTableWarning,
} from './route-tables.js'
export {extractClusters, hasClustersSection, subsetsByService, type ClusterInfo, type ClusterState} from './clusters.js'
export {parseClusterName, buildClusterName, type ClusterNameParts, type ClusterDirection} from './cluster-name.js'
export {parseRouteTableName, routeTableName} from './table-name.js'
export {convertHeaderMatcher, quoteRe2} from './header-matcher.js'
export {redactSecrets, REDACTED, REDACTED_BYTES, type RedactionResult, type SecretKind} from './redact.js'
export {generateConfigDump, appOfPodName, type GenerateConfigDumpInput, type GenerateServiceInput} from './generate.js'
export {renderMetaProtocolTables, type MetaProtocolTablesInput} from './render/render-tables.js'
export {renderListenersTable} from './render/render-listeners.js'
export {renderRoutesTable, formatMatchers, formatDestination, formatMirror, formatMutations} from './render/render-routes.js'
export {renderReferencedClustersTable, referencedClusterRows, type ReferencedClusterRow} from './render/render-clusters.js'
export {renderTextTable, type TextTableColumn, type TextTableOptions, type CellContext} from './render/text-table.js'
export * from './type-urls.js'
export {applyConfigDumpQuery, type ConfigDumpQueryResult} from './query.js'
export {prettyJsonChunks} from './json-chunks.js'
