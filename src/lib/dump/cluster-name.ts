// Istio cluster names: `<direction>|<port>|<subset>|<host>` (Istio model.BuildSubsetKey, which Aeraki
// reuses for route destinations, config-dump.md §2.3). Other clusters (BlackHoleCluster, aeraki-xds) have no parts.

import {parseCluster} from '../routing/names.js'

export type ClusterDirection = 'outbound' | 'inbound' | 'inbound-vip'

export interface ClusterNameParts {
  direction: ClusterDirection
  port: number
  subset: string
  host: string
}

export function parseClusterName(name: string): ClusterNameParts | undefined {
  const p = parseCluster(name)
  if (!p || !/^\d+$/.test(name.split('|')[1])) return undefined
  const {direction} = p
  if (direction !== 'outbound' && direction !== 'inbound' && direction !== 'inbound-vip') return undefined
  return {...p, direction}
}

export function buildClusterName(parts: ClusterNameParts): string {
  return `${parts.direction}|${parts.port}|${parts.subset}|${parts.host}`
}
