// Lists the Envoy clusters of a dump with their Istio name parts, so route destinations can be checked
// against what the sidecar really has (a missing cluster means ClusterNotFound at request time).

import {objectField, stringField} from './json.js'
import {asConfigDump, type DumpInput} from './input.js'
import {parseClusterName, type ClusterDirection} from './cluster-name.js'
import {findSections, sectionListItems} from './sections.js'

export type ClusterState = 'static' | 'active' | 'warming'

export interface ClusterInfo {
  name: string
  /** Discovery type (`EDS`, `STATIC`, …) or the custom `cluster_type` name. */
  type: string
  /** `lb_policy`; ROUND_ROBIN when omitted, since proto3 defaults are not printed (config-dump.md §1.7). */
  lbPolicy: string
  state: ClusterState
  /** Parts of an Istio `direction|port|subset|host` name; absent for other clusters. */
  direction?: ClusterDirection
  port?: number
  subset?: string
  host?: string
  /** `eds_cluster_config.service_name`, for EDS clusters. */
  edsServiceName?: string
  versionInfo?: string
  lastUpdated?: string
}

const LISTS: Record<string, ClusterState> = {
  static_clusters: 'static',
  dynamic_active_clusters: 'active',
  dynamic_warming_clusters: 'warming',
}

export function extractClusters(input: DumpInput): ClusterInfo[] {
  const dump = asConfigDump(input)
  const items = sectionListItems(dump, 'clusters', Object.keys(LISTS), {
    StaticCluster: 'static_clusters',
    DynamicCluster: 'dynamic_active_clusters',
  })
  const clusters: ClusterInfo[] = []
  for (const {item, list} of items) {
    const cluster = objectField(item, 'cluster')
    if (!cluster) continue
    const name = stringField(cluster, 'name') ?? ''
    const info: ClusterInfo = {
      name,
      type: stringField(cluster, 'type') ?? stringField(objectField(cluster, 'cluster_type'), 'name') ?? 'STATIC',
      lbPolicy: stringField(cluster, 'lb_policy') ?? 'ROUND_ROBIN',
      state: LISTS[list],
    }
    const parts = parseClusterName(name)
    if (parts) Object.assign(info, parts)
    const edsServiceName = stringField(objectField(cluster, 'eds_cluster_config'), 'service_name')
    if (edsServiceName !== undefined) info.edsServiceName = edsServiceName
    const versionInfo = stringField(item, 'version_info')
    if (versionInfo !== undefined) info.versionInfo = versionInfo
    const lastUpdated = stringField(item, 'last_updated')
    if (lastUpdated !== undefined) info.lastUpdated = lastUpdated
    clusters.push(info)
  }
  return clusters
}

/** Subsets the dump has clusters for, per `host:port` (`outbound` clusters only). */
export function subsetsByService(clusters: readonly ClusterInfo[]): Map<string, string[]> {
  const byService = new Map<string, string[]>()
  for (const c of clusters) {
    if (c.direction !== 'outbound' || c.host === undefined) continue
    const key = `${c.host}:${c.port}`
    const subsets = byService.get(key) ?? []
    if (c.subset && !subsets.includes(c.subset)) subsets.push(c.subset)
    byService.set(key, subsets)
  }
  return byService
}

/** Whether the dump has a clusters section at all (a dump of `?resource=` or a mask may leave it out). */
export function hasClustersSection(input: DumpInput): boolean {
  return findSections(asConfigDump(input), 'clusters').length > 0
}
