// Cross-object rules of `route analyze`: what Aeraki's webhook cannot see because it looks at one object at a time.
import {resourceName} from '../resources/kinds.js'
import type {Finding, Loaded, MetaRouterSpec} from '../resources/types.js'
import {clusterExists} from '../routing/exists.js'
import {expandHost, parseCluster} from '../routing/names.js'
import {metaRoutersFor} from '../routing/translate.js'
import {destinationRulesForHost, metaProtocolPorts, metaRouterSpec, podSelectorOf, runningPodsSelectedBy, servicesForHost, subsetsOf, type World} from '../routing/world.js'
import {FindingSink} from '../validate/findings.js'
import {identityOf} from '../resources/merge.js'

/**
 * A MetaRouter whose host is no loaded Service/ServiceEntry host (Aeraki compares hosts verbatim,
 * internal/envoyfilter/controller.go findRelatedMetaRouter), or names a host without a MetaProtocol port.
 */
export function metaRouterHostFindings(world: World, mr: Loaded): Finding[] {
  const sink = new FindingSink(mr)
  const hosts = metaRouterSpec(mr).hosts
  const host = Array.isArray(hosts) ? hosts[0] : undefined
  if (typeof host !== 'string' || host === '') return []
  const services = servicesForHost(world, host)
  if (services.length === 0) {
    const expanded = !host.includes('.') ? expandHost(host, mr.obj.metadata?.namespace) : undefined
    let hint = expanded && world.services.some(s => s.host === expanded) ? `; a short name never matches, use "${expanded}"` : ''
    const short = host.split('.')[0]
    const elsewhere = world.services.filter(s => s.origin === 'Service' && s.host.split('.')[0] === short)
    if (!hint && elsewhere.length > 0) hint = `; a Service ${short} is loaded in namespace ${elsewhere.map(s => s.namespace).join(', ')} (objects without a namespace go to -n NAMESPACE, else default)`
    sink.add('METAROUTER_HOST_UNKNOWN', 'warning', `no Service or ServiceEntry has host "${host}" among the inputs, so no route table uses this MetaRouter${hint}`, 'spec.hosts[0]')
  } else if (!services.some(s => metaProtocolPorts(s).length > 0)) {
    sink.add('METAROUTER_HOST_NOT_METAPROTOCOL', 'warning', `${host} has no MetaProtocol port (named tcp-metaprotocol-<protocol>-…), so Aeraki builds no route table for it`, 'spec.hosts[0]')
  }
  return sink.findings
}

export function metaRouterCrossChecks(world: World, mr: Loaded): Finding[] {
  const sink = new FindingSink(mr)
  const spec = metaRouterSpec(mr)
  const host = Array.isArray(spec.hosts) ? spec.hosts[0] : undefined
  if (typeof host === 'string' && host !== '') {
    sink.findings.push(...metaRouterHostFindings(world, mr))
    // Another version of the same object (same kind/namespace/name) is not another MetaRouter.
    const others = metaRoutersFor(world, host).filter(o => identityOf(o) !== identityOf(mr))
    if (others.length > 0) {
      sink.add('MULTIPLE_METAROUTERS', 'error', `${others.map(o => resourceName(o.obj)).join(', ')} also name${others.length === 1 ? 's' : ''} ${host}: Aeraki uses one of them at random and never merges them`, 'spec.hosts[0]')
    }
  }
  const routes = Array.isArray(spec.routes) ? spec.routes : []
  routes.forEach((r, i) => {
    const dests = Array.isArray(r?.route) ? r!.route! : []
    dests.forEach((d, j) => checkDestination(world, sink, d?.destination, `spec.routes[${i}].route[${j}].destination`, host))
    if (r?.mirror) checkDestination(world, sink, r.mirror, `spec.routes[${i}].mirror`, host)
    if (dests.length === 1 && d0Weight(dests[0]) !== undefined && d0Weight(dests[0]) !== 100) {
      sink.add('SINGLE_DESTINATION_WEIGHT', 'info', `the only destination gets 100% of requests; its weight ${d0Weight(dests[0])} is ignored`, `spec.routes[${i}].route[0].weight`)
    }
  })
  checkRateLimits(world, sink, spec)
  return sink.findings
}

function d0Weight(d: {weight?: number} | undefined): number | undefined {
  return d?.weight === undefined ? undefined : Number(d.weight)
}

function checkDestination(world: World, sink: FindingSink, d: {host?: string; subset?: string; port?: {number?: number}} | undefined, path: string, routedHost: string | undefined): void {
  if (!d?.host) return
  const services = servicesForHost(world, d.host)
  if (services.length === 0) {
    sink.add('DESTINATION_HOST_UNKNOWN', 'warning', `no Service or ServiceEntry has host "${d.host}" among the inputs: its clusters may not exist (Aeraki does not expand short names here)`, `${path}.host`)
    return
  }
  const port = d.port?.number
  if (port !== undefined) {
    const p = services.flatMap(s => s.ports).find(x => x.number === port)
    if (!p) sink.add('DESTINATION_PORT_UNKNOWN', 'error', `${d.host} has no port ${port}: requests get ClusterNotFound`, `${path}.port.number`)
    else if (p.applicationProtocol === undefined) sink.add('DESTINATION_PORT_NOT_METAPROTOCOL', 'warning', `port ${port} of ${d.host} is not a MetaProtocol port`, `${path}.port.number`)
  } else if (d.host !== routedHost && !services.some(s => metaProtocolPorts(s).length > 0)) {
    sink.add('DESTINATION_PORT_NOT_METAPROTOCOL', 'warning', `${d.host} has no MetaProtocol port`, `${path}.host`)
  }
  const drs = destinationRulesForHost(world, d.host)
  if (d.subset && world.pods.length > 0) {
    const subsetLabels = drs.flatMap(subsetsOf).find((s: any) => s?.name === d.subset)?.labels as Record<string, string> | undefined
    if (subsetLabels) {
      const selects = services.some(s => {
        const selector = podSelectorOf(s)
        if (!selector) return true // no selector: endpoints are managed by hand, nothing to check
        const want = {...selector, ...subsetLabels}
        return runningPodsSelectedBy(world, s.namespace, want).length > 0
      })
      if (!selects) sink.add('SUBSET_SELECTS_NO_PODS', 'warning', `subset "${d.subset}" (${Object.entries(subsetLabels).map(([k, v]) => `${k}=${v}`).join(',')}) selects no running pod of ${d.host}: requests routed there get NoHealthyUpstream`, `${path}.subset`)
    }
  }
  if (d.subset) {
    // Aeraki >= 1.1.1 reads only the subset's own consistentHash for a destination with a subset (spec §5.1-10).
    const top = drs[0]?.obj.spec?.trafficPolicy?.loadBalancer?.consistentHash?.httpHeaderName
    const own = subsetsOf(drs[0]).find((x: any) => x?.name === d.subset)?.trafficPolicy?.loadBalancer?.consistentHash?.httpHeaderName
    if (top && !own) sink.add('HASH_POLICY_NOT_APPLIED', 'warning', `the DestinationRule hashes on "${top}" at the top level, but a destination with subset "${d.subset}" only uses that subset's own consistentHash: requests to it are not hashed (Istio still makes the cluster ring-hash, so pods are picked at random)`, `${path}.subset`)
    const svcPort = port ?? services.flatMap(metaProtocolPorts)[0]?.number ?? services[0].ports[0]?.number
    if (svcPort !== undefined && clusterExists(world, `outbound|${svcPort}|${d.subset}|${d.host}`) === false) {
      sink.add('SUBSET_NOT_IN_DESTINATIONRULE', 'error', `subset "${d.subset}" is not defined in a DestinationRule for ${d.host}: Istio builds no such cluster and requests get ClusterNotFound`, `${path}.subset`)
    }
  }
}

function checkRateLimits(world: World, sink: FindingSink, spec: MetaRouterSpec): void {
  const g = spec.globalRateLimit
  if (g?.rateLimitService) {
    const c = parseCluster(g.rateLimitService)
    if (!c) {
      sink.add('RATELIMIT_SERVICE_NOT_A_CLUSTER', 'error', `rateLimitService "${g.rateLimitService}" is not a cluster name such as outbound|8081||rate-limit-server.<ns>.svc.cluster.local`, 'spec.globalRateLimit.rateLimitService')
    } else {
      const exists = clusterExists(world, g.rateLimitService)
      if (exists === false) sink.add('RATELIMIT_SERVICE_MISSING', 'error', `cluster ${g.rateLimitService} does not exist: every request to the service fails with ClusterNotFound before the limit is checked`, 'spec.globalRateLimit.rateLimitService')
      else if (exists === null) sink.add('RATELIMIT_SERVICE_UNKNOWN', 'info', `${c.host} is not among the inputs; if the cluster does not exist, every request fails with ClusterNotFound`, 'spec.globalRateLimit.rateLimitService')
    }
    if (world.rateLimitConfigs.length > 0 && g.domain && !world.rateLimitConfigs.some(x => x.domain === g.domain)) {
      sink.add('RATELIMIT_DOMAIN_UNKNOWN', 'warning', `no rate limit service configuration among the inputs has domain "${g.domain}" (found: ${world.rateLimitConfigs.map(x => x.domain).join(', ')})`, 'spec.globalRateLimit.domain')
    }
  }
}

/** Services whose port names say MetaProtocol but that Aeraki cannot serve, or that several DestinationRules name. */
export function serviceChecks(world: World): Finding[] {
  const out: Finding[] = []
  for (const s of world.services) {
    const sink = new FindingSink(s.loaded)
    const drs = destinationRulesForHost(world, s.host)
    if (drs.length > 1) sink.add('MULTIPLE_DESTINATIONRULES', 'warning', `${drs.length} DestinationRules name ${s.host} (${drs.map(d => resourceName(d.obj)).join(', ')}): Aeraki reads an arbitrary one for hash policies`)
    const portsPath = s.origin === 'Service' ? 'spec.ports' : 'spec.ports'
    s.ports.forEach((p, i) => {
      if (p.missingProtocol) sink.add('PORT_NAME_WITHOUT_PROTOCOL', 'error', `port name "${p.name}" has no protocol after "tcp-metaprotocol": Aeraki indexes past the end of the name and fails (use tcp-metaprotocol-<protocol>-<suffix>)`, `${portsPath}[${i}].name`)
      else if (p.applicationProtocol !== undefined && !world.codecs.has(p.applicationProtocol)) {
        sink.add('APPLICATION_PROTOCOL_UNKNOWN', 'warning', `no ApplicationProtocol for "${p.applicationProtocol}" among the inputs: Aeraki installs no MetaProtocol proxy for ${s.host}:${p.number} unless one is registered`, `${portsPath}[${i}].name`)
      }
    })
    out.push(...sink.findings)
  }
  return out
}
