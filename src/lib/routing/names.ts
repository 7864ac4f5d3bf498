// Names Aeraki and Istio build, and the port-name convention that marks a MetaProtocol port (spec §1.2, §2.2).

export const CLUSTER_DOMAIN = 'cluster.local'

/** `outbound|<port>|<subset>|<host>`, Istio's BuildSubsetKey. */
export function outboundCluster(port: number, subset: string | undefined, host: string): string {
  return `outbound|${port}|${subset ?? ''}|${host}`
}

export interface ParsedCluster {
  direction: string
  port: number
  subset: string
  host: string
}

export function parseCluster(name: string): ParsedCluster | undefined {
  const parts = name.split('|')
  if (parts.length !== 4) return undefined
  const port = Number(parts[1])
  if (!Number.isInteger(port)) return undefined
  return {direction: parts[0], port, subset: parts[2], host: parts[3]}
}

/** `<host>_<port>`, BuildMetaProtocolRouteName. */
export function routeTableName(host: string, port: number): string {
  return `${host}_${port}`
}

/**
 * A route configuration name back to host and port: `<host>_<port>` split at the LAST underscore (hosts may contain
 * underscores); inline inbound configs are named like clusters, `inbound|<port>||<host>` (Aeraki
 * internal/model/utils.go BuildMetaProtocolRouteName, docs/config-dump.md §2.3). Port 0 when the name has none.
 */
export function parseRouteTableName(name: string): {host: string; port: number} {
  const underscore = name.lastIndexOf('_')
  if (underscore !== -1) {
    const port = name.slice(underscore + 1)
    if (/^\d+$/.test(port)) return {host: name.slice(0, underscore), port: Number(port)}
  }
  const cluster = parseCluster(name)
  if (cluster && (cluster.direction === 'inbound' || cluster.direction === 'outbound')) return {host: cluster.host, port: cluster.port}
  return {host: name, port: 0}
}

/**
 * A port is a MetaProtocol port when the second `-`-separated token of its name is `metaprotocol`
 * (case-insensitive); the application protocol is the third token, case-sensitive.
 * `tcp-metaprotocol` alone makes Aeraki index past the end of the slice, so it is reported separately.
 */
export function parseMetaProtocolPortName(portName: string | undefined):
  | {kind: 'metaprotocol'; applicationProtocol: string}
  | {kind: 'metaprotocol-without-protocol'}
  | {kind: 'other'} {
  if (!portName) return {kind: 'other'}
  const tokens = portName.split('-')
  if (tokens.length < 2 || tokens[1].toLowerCase() !== 'metaprotocol') return {kind: 'other'}
  if (tokens.length < 3 || tokens[2] === '') return {kind: 'metaprotocol-without-protocol'}
  return {kind: 'metaprotocol', applicationProtocol: tokens[2]}
}

/** Istio's synthesised host for a Kubernetes Service. */
export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`
}

/** Aeraki's IsFQDNEquals: a dot-less name is expanded with the object's namespace and a hard-coded cluster.local. */
export function expandHost(host: string, namespace: string | undefined): string {
  if (host.includes('.')) return host
  return serviceFqdn(host, namespace ?? 'default')
}

/** Codecs that compute request mutations but never write them on the wire (spec §3.6). */
export const CODECS_IGNORING_REQUEST_MUTATION = new Set(['thrift', 'brpc'])

/** The attribute the proxy adds to every request before routing (spec §3.1). */
export const APPLICATION_PROTOCOL_ATTRIBUTE = 'x-meta-protocol-application-protocol'

/**
 * Request attributes a codec stores as something other than a string (`metadata.put(key, std::any)`), by
 * application protocol: reading one with Metadata::getString (`std::any_cast<std::string>`, meta-protocol-proxy
 * src/meta_protocol_proxy/codec_impl.cc) throws std::bad_any_cast and the proxy aborts. Sources:
 * src/application_protocols/dubbo/dubbo_codec.cc and src/application_protocols/trpc/trpc_codec.cc (toMetadata).
 * Names are case-sensitive there (the property map is not lower-cased).
 */
export const NON_STRING_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = {
  dubbo: new Set(['InvocationInfo', 'ProtocolType', 'ProtocolVersion', 'MessageType', 'Timeout', 'TwoWay', 'SerializationType']),
  trpc: new Set(['call_type', 'version', 'content_type', 'content_encoding']),
}
