// Istio cluster names: `<direction>|<port>|<subset>|<host>` (Istio model.BuildSubsetKey, which Aeraki
// reuses for route destinations, config-dump.md §2.3). Other clusters (BlackHoleCluster, aeraki-xds) have no parts.

export type ClusterDirection = 'outbound' | 'inbound' | 'inbound-vip'

export interface ClusterNameParts {
  direction: ClusterDirection
  port: number
  subset: string
  host: string
}

export function parseClusterName(name: string): ClusterNameParts | undefined {
  const parts = name.split('|')
  if (parts.length !== 4) return undefined
  const [direction, port, subset, host] = parts
  if (direction !== 'outbound' && direction !== 'inbound' && direction !== 'inbound-vip') return undefined
  if (!/^\d+$/.test(port)) return undefined
  return {direction, port: Number(port), subset, host}
}

export function buildClusterName(parts: ClusterNameParts): string {
  return `${parts.direction}|${parts.port}|${parts.subset}|${parts.host}`
}
