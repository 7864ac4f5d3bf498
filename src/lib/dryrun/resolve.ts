// Resolves --host/--port against the loaded Services and ServiceEntries, the way a user names a service.
import {InputError} from '../resources/errors.js'
import {metaProtocolPorts, servicesForHost, type MeshPort, type MeshService, type World} from '../routing/world.js'
import {DEMOS} from '../demo/world.js'

/** The demos by protocol (`--host dubbo`), in every mode: embedded, -f, --from-cluster, --config-dump, --pod. */
export const DEMO_ALIASES: Record<string, string> = {thrift: DEMOS.thrift.host, dubbo: DEMOS.dubbo.host}

/** Without --host, every mode predicts for the Thrift demo when it is among several candidates. */
export const DEFAULT_DEMO_HOST = DEMO_ALIASES.thrift

export function resolveService(world: World, host: string | undefined, port: number | undefined): {service: MeshService; port: MeshPort} {
  const withMetaPorts = world.services.filter(s => metaProtocolPorts(s).length > 0)
  let candidates: MeshService[]
  // The demos can be named by protocol (`--host dubbo`) whenever their services are loaded.
  const alias = host !== undefined ? DEMO_ALIASES[host] : undefined
  if (alias && world.services.some(s => s.host === alias)) host = alias
  if (!host) {
    candidates = withMetaPorts
    if (candidates.length === 0) throw new InputError('no Service or ServiceEntry with a MetaProtocol port (named tcp-metaprotocol-<protocol>-…) among the inputs')
    if (candidates.length > 1 && candidates.some(s => s.host === DEFAULT_DEMO_HOST)) candidates = candidates.filter(s => s.host === DEFAULT_DEMO_HOST)
    if (candidates.length > 1) throw new InputError(`several services have MetaProtocol ports; choose one with --host: ${list(candidates)}`)
  } else if (host.includes('.') && servicesForHost(world, host).length > 0) {
    candidates = servicesForHost(world, host)
  } else {
    // A short name matches a Service name, or the first label(s) of a host.
    // A short name matches a Service or ServiceEntry name, or whole labels of a host (`demoservice`, `thrift-sample-server`).
    const labels = host.split('.')
    candidates = world.services.filter(s => {
      if (s.host === host || s.loaded.obj.metadata?.name === host) return true
      const hostLabels = s.host.split('.')
      return hostLabels.some((_, i) => labels.every((l, j) => hostLabels[i + j] === l))
    })
    if (candidates.length === 0) {
      const known = withMetaPorts.length > 0 ? `; services with MetaProtocol ports: ${list(withMetaPorts)}` : ''
      throw new InputError(`no Service or ServiceEntry named "${host}" among the inputs${known}`, '--host')
    }
    const distinct = [...new Set(candidates.map(s => s.host))]
    if (distinct.length > 1) throw new InputError(`"${host}" is ambiguous: ${distinct.join(', ')}`, '--host')
  }
  const service = candidates.find(s => metaProtocolPorts(s).length > 0) ?? candidates[0]
  const metaPorts = metaProtocolPorts(service)
  if (port === undefined) {
    if (metaPorts.length === 1) return {service, port: metaPorts[0]}
    if (metaPorts.length === 0) throw new InputError(`${service.host} has no MetaProtocol port (a port named tcp-metaprotocol-<protocol>-…); ports: ${portList(service.ports)}`, '--host')
    throw new InputError(`${service.host} has several MetaProtocol ports; choose one with --port: ${portList(metaPorts)}`, '--port')
  }
  const p = service.ports.find(x => x.number === port)
  if (!p) throw new InputError(`${service.host} has no port ${port}; ports: ${portList(service.ports)}`, '--port')
  if (p.applicationProtocol === undefined) {
    const why = p.missingProtocol ? ' (the name has no protocol after "tcp-metaprotocol", which crashes Aeraki\'s port-name parsing)' : ''
    throw new InputError(`port ${port} (${p.name || 'unnamed'}) of ${service.host} is not a MetaProtocol port${why}; MetaProtocol ports: ${portList(metaPorts) || 'none'}`, '--port')
  }
  return {service, port: p}
}

function list(services: MeshService[]): string {
  return [...new Set(services.map(s => s.host))].join(', ')
}

function portList(ports: MeshPort[]): string {
  return ports.map(p => `${p.number}${p.name ? ` (${p.name})` : ''}`).join(', ')
}
