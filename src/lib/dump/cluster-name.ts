// Istio cluster names: `<direction>|<port>|<subset>|<host>` (Istio model.BuildSubsetKey, which Aeraki
// reuses for route destinations, config-dump.md §2.3). Other clusters (BlackHoleCluster, aeraki-xds) have no parts.
// Split by the routing helper (src/lib/routing/names.ts parseCluster); a dump only knows these three directions.
import {parseCluster} from '../routing/names.js'

export type ClusterDirection = 'outbound' | 'inbound' | 'inbound-vip'

export interface ClusterNameParts {
  direction: ClusterDirection
  port: number
  subset: string
  host: string
}

export function parseClusterName(name: string): ClusterNameParts | undefined {
  const c = parseCluster(name)
  if (!c || (c.direction !== 'outbound' && c.direction !== 'inbound' && c.direction !== 'inbound-vip')) return undefined
  if (!/^\d+$/.test(name.split('|')[1])) return undefined
  return {...c, direction: c.direction}
}

export function buildClusterName(parts: ClusterNameParts): string {
  return `${parts.direction}|${parts.port}|${parts.subset}|${parts.host}`
}
