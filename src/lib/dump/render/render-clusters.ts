// The clusters referenced by MetaProtocol routes, with the subsets the sidecar has for each service.
// A referenced cluster missing from the dump is flagged: the proxy would answer ClusterNotFound.

import type {RouteTable} from '../../routing/types.js'
import {parseClusterName} from '../cluster-name.js'
import type {ClusterInfo} from '../clusters.js'
import {subsetsByService} from '../clusters.js'
import {renderTextTable, type TextTableOptions} from './text-table.js'

export interface ReferencedClusterRow {
  cluster: string
  host: string
  port: number | undefined
  subset: string
  /** Undefined when the dump has no such cluster. */
  info: ClusterInfo | undefined
  /** Subsets the dump has clusters for on the same host and port. */
  availableSubsets: string[]
  /** `<route config>/<route>` of every reference, with `(mirror)` for mirror targets. */
  referencedBy: string[]
}

export function referencedClusterRows(tables: readonly RouteTable[], clusters: readonly ClusterInfo[]): ReferencedClusterRow[] {
  const byName = new Map(clusters.map((c) => [c.name, c]))
  const subsets = subsetsByService(clusters)
  const rows = new Map<string, ReferencedClusterRow>()
  const reference = (cluster: string, by: string): void => {
    let row = rows.get(cluster)
    if (!row) {
      const parts = parseClusterName(cluster)
      row = {
        cluster,
        host: parts?.host ?? '',
        port: parts?.port,
        subset: parts?.subset ?? '',
        info: byName.get(cluster),
        availableSubsets: parts ? (subsets.get(`${parts.host}:${parts.port}`) ?? []) : [],
        referencedBy: [],
      }
      rows.set(cluster, row)
    }
    if (!row.referencedBy.includes(by)) row.referencedBy.push(by)
  }
  for (const table of tables) {
    for (const route of table.routes) {
      const by = `${table.name}/${route.name}`
      if (route.action.kind === 'cluster') reference(route.action.cluster, by)
      else for (const c of route.action.clusters) reference(c.name, by)
      if (route.mirror) reference(route.mirror.cluster, `${by} (mirror)`)
    }
  }
  return [...rows.values()]
}

/** `clusters` null: the dump has no clusters section, so nothing can be said about them. */
export function renderReferencedClustersTable(tables: readonly RouteTable[], clusters: readonly ClusterInfo[] | null, options: TextTableOptions = {}): string {
  const columns = [
    {header: 'CLUSTER'},
    {header: 'SERVICE FQDN'},
    {header: 'PORT', align: 'right' as const},
    {header: 'SUBSET'},
    {header: 'SUBSETS IN SIDECAR'},
    {header: 'TYPE'},
    {header: 'LB POLICY'},
    {header: 'STATUS'},
  ]
  const rows = referencedClusterRows(tables, clusters ?? []).map((r) => [
    r.cluster,
    r.host || '-',
    r.port === undefined ? '-' : String(r.port),
    r.subset || '-',
    r.availableSubsets.length > 0 ? r.availableSubsets.join(',') : '-',
    r.info?.type ?? '-',
    r.info?.lbPolicy ?? '-',
    r.info ? r.info.state : clusters === null ? 'not in this dump' : 'MISSING',
  ])
  return renderTextTable(columns, rows, options)
}
