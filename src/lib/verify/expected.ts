// The route tables Aeraki should push for a set of objects, each with the objects it comes from (for
// "stale": when did they last change?). Same translation as translateAll; kept apart because it also says
// which MetaRouter and DestinationRule made each table.
import type {Loaded} from '../resources/types.js'
import {resourceName} from '../resources/kinds.js'
import {buildRouteTable, destinationRulesFor, metaRoutersFor} from '../routing/translate.js'
import type {RouteTable} from '../routing/types.js'
import {buildWorld, metaRouterSpec, type MeshService} from '../routing/world.js'

export interface SourceObject {
  /** e.g. `MetaRouter meta-thrift/traffic-split` */
  name: string
  resourceVersion?: string
  /** Latest of creationTimestamp and managedFields times, when the object carries them. */
  changedAt?: string
}

export interface ExpectedTable {
  table: RouteTable
  sources: SourceObject[]
}

function changedAt(l: Loaded): string | undefined {
  const md = l.obj.metadata ?? {}
  const times = [md.creationTimestamp, ...((md.managedFields as Array<{time?: string}> | undefined) ?? []).map((m) => m?.time)]
    .filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)))
  if (times.length === 0) return undefined
  return times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b))
}

function sourceOf(l: Loaded): SourceObject {
  const out: SourceObject = {name: resourceName(l.obj)}
  const rv = l.obj.metadata?.resourceVersion
  if (typeof rv === 'string') out.resourceVersion = rv
  const at = changedAt(l)
  if (at) out.changedAt = at
  return out
}

/** A table the sidecar has, for a host that a MetaRouter names but no given Service/ServiceEntry defines. */
export interface KnownTable {
  host: string
  port: number
  applicationProtocol: string
}

/**
 * Expected tables for every MetaProtocol port of every service. `known` (tables seen in the sidecar) stands in
 * for services the objects lack but a MetaRouter targets, so a lone MetaRouter file can be checked.
 */
export function expectedTables(objects: Loaded[], known: readonly KnownTable[] = []): ExpectedTable[] {
  const world = buildWorld(objects)
  const hosts = new Set(world.services.map((s) => s.host))
  for (const k of known) {
    if (hosts.has(k.host)) continue
    const mr = world.metaRouters.find((m) => (metaRouterSpec(m).hosts ?? []).includes(k.host))
    if (!mr) continue
    const synthetic: MeshService = {
      host: k.host, namespace: mr.obj.metadata?.namespace ?? 'default', origin: 'ServiceEntry', loaded: mr,
      ports: [{number: k.port, name: `tcp-metaprotocol-${k.applicationProtocol}`, applicationProtocol: k.applicationProtocol}],
    }
    world.services.push(synthetic)
    hosts.add(k.host)
  }
  const out: ExpectedTable[] = []
  for (const service of world.services) {
    for (const port of service.ports) {
      if (port.applicationProtocol === undefined) continue
      const mr = metaRoutersFor(world, service.host)[0] ?? null
      const dr = destinationRulesFor(world, service)[0] ?? null
      out.push({table: buildRouteTable(service, port, mr, dr), sources: [mr, dr].filter((l): l is Loaded => l !== null).map(sourceOf)})
    }
  }
  return out
}
