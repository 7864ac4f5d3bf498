// Which outbound clusters Istio would create (spec §3.3): one per service port, plus one per DestinationRule subset.
// A route may name a cluster that does not exist; that is a per-request ClusterNotFound, not a config error.
import {parseCluster} from './names.js'
import {destinationRulesForHost, servicesForHost, subsetsOf, type World} from './world.js'

/** true / false when the host is among the inputs, null when nothing is known about it. */
export function clusterExists(world: World, cluster: string): boolean | null {
  const c = parseCluster(cluster)
  if (!c || c.direction !== 'outbound') return null
  const services = servicesForHost(world, c.host)
  if (services.length === 0) return null
  if (!services.some(s => s.ports.some(p => p.number === c.port))) return false
  if (c.subset === '') return true
  return destinationRulesForHost(world, c.host).some(dr => subsetsOf(dr).some(s => s?.name === c.subset))
}
