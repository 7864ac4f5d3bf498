// Recognises the MetaProtocol Proxy network filter by its config type, not by its name: Aeraki names it
// `envoy.filters.network.meta_protocol_proxy`, the proxy's own configs `aeraki.meta_protocol_proxy`, and
// Envoy resolves the factory by type URL either way (config-dump.md §2.1 point 4).

import {anyTypeName, arrayField, field, isObject, objectField, stringField, typeNameOf, type JsonObject} from './json.js'
import {META_PROTOCOL_PROXY, UDPA_TYPED_STRUCT, XDS_TYPED_STRUCT} from './type-urls.js'

const CODEC_PREFIX = 'aeraki.meta_protocol.codec.'

/** The MetaProtocolProxy message of a network filter, or undefined when the filter is something else. */
export function metaProtocolProxyConfig(filter: unknown): JsonObject | undefined {
  const typed = objectField(filter, 'typed_config')
  if (!typed) return undefined
  const typeName = anyTypeName(typed)
  if (typeName === META_PROTOCOL_PROXY) return typed
  if (typeName === UDPA_TYPED_STRUCT || typeName === XDS_TYPED_STRUCT) {
    const typeUrl = stringField(typed, 'type_url')
    if (typeUrl !== undefined && typeNameOf(typeUrl) === META_PROTOCOL_PROXY) {
      const value = field(typed, 'value')
      return isObject(value) ? value : {}
    }
  }
  return undefined
}

export interface MetaProtocolProxySummary {
  statPrefix: string
  applicationProtocol: string
  codec: string
  routeConfigName: string
  routeConfigSource: 'rds' | 'inline' | 'none'
  /** The xDS cluster RDS is fetched from (`aeraki-xds`), when the config source names one. */
  rdsCluster?: string
  /** Names of `meta_protocol_filters`, in order. */
  filters: string[]
  /** The inline `route_config` (server-side inbound proxies), when present. */
  inlineRouteConfig?: JsonObject
  /** `protocol.multiplexing` of the newer protocol form, when set. */
  multiplexing?: boolean
  /** The rate-limit filters' settings, one line each (local token buckets, global domain and descriptors). */
  rateLimits?: string[]
}

/** The application protocol a MetaProtocolProxy serves: `application_protocol`, else `protocol.name`, else the codec's suffix. */
export function applicationProtocolOf(config: JsonObject): string {
  const declared = stringField(config, 'application_protocol') ?? stringField(objectField(config, 'protocol'), 'name')
  if (declared) return declared
  const codec = codecOf(config)
  return codec.startsWith(CODEC_PREFIX) ? codec.slice(CODEC_PREFIX.length) : ''
}

/**
 * The codec: the deprecated top-level `codec: {name}` (what Aeraki 1.4 writes, internal/plugin/metaprotocol
 * metaprotocolproxy.go), or the newer `protocol: {name, codec: {name}, multiplexing}` form (Aeraki 1.3 release
 * notes; meta-protocol-proxy test/dubbo/test.yaml).
 */
function codecOf(config: JsonObject): string {
  const protocol = objectField(config, 'protocol')
  return stringField(objectField(config, 'codec'), 'name') ?? stringField(objectField(protocol, 'codec'), 'name') ?? stringField(protocol, 'codec') ?? ''
}

function rdsClusterOf(rds: JsonObject | undefined): string | undefined {
  const apiSource = objectField(objectField(rds, 'config_source'), 'api_config_source')
  const services = field(apiSource, 'grpc_services')
  if (!Array.isArray(services)) return undefined
  for (const service of services) {
    const cluster = stringField(objectField(service, 'envoy_grpc'), 'cluster_name')
    if (cluster) return cluster
  }
  return undefined
}

export function summarizeMetaProtocolProxy(config: JsonObject): MetaProtocolProxySummary {
  const rds = objectField(config, 'rds')
  const inline = objectField(config, 'route_config')
  const filters: string[] = []
  const filterList = field(config, 'meta_protocol_filters')
  if (Array.isArray(filterList)) {
    for (const f of filterList) {
      const name = stringField(f, 'name')
      if (name) filters.push(name)
    }
  }
  const summary: MetaProtocolProxySummary = {
    statPrefix: stringField(config, 'stat_prefix') ?? '',
    applicationProtocol: applicationProtocolOf(config),
    codec: codecOf(config),
    routeConfigName: stringField(rds, 'route_config_name') ?? stringField(inline, 'name') ?? '',
    routeConfigSource: rds ? 'rds' : inline ? 'inline' : 'none',
    filters,
  }
  const rdsCluster = rdsClusterOf(rds)
  if (rdsCluster) summary.rdsCluster = rdsCluster
  if (inline) summary.inlineRouteConfig = inline
  const multiplexing = field(objectField(config, 'protocol'), 'multiplexing')
  if (typeof multiplexing === 'boolean') summary.multiplexing = multiplexing
  const rateLimits = Array.isArray(filterList) ? filterList.flatMap(rateLimitSettings) : []
  if (rateLimits.length > 0) summary.rateLimits = rateLimits
  return summary
}

function bucketText(b: unknown): string {
  const fill = field(b, 'fill_interval')
  const per = field(b, 'tokens_per_fill')
  const perValue = isObject(per) ? field(per, 'value') : per
  return `${field(b, 'max_tokens') ?? '?'} tokens, +${perValue ?? 1} every ${typeof fill === 'string' ? fill : JSON.stringify(fill ?? '?')}`
}

/** One line per setting of the local (local_ratelimit.proto) and global (ratelimit.proto) rate-limit filters. */
function rateLimitSettings(filter: unknown): string[] {
  const name = stringField(filter, 'name') ?? ''
  const typed = objectField(filter, 'config') ?? objectField(filter, 'typed_config')
  if (!typed) return []
  if (/local_ratelimit/.test(name)) {
    const out: string[] = []
    const bucket = objectField(typed, 'token_bucket')
    if (bucket) out.push(`local rate limit: ${bucketText(bucket)}`)
    for (const c of arrayField(typed, 'conditions')) {
      const headers = arrayField(objectField(c, 'match'), 'metadata').map(h => `${stringField(h, 'name') ?? '?'}`).join(',')
      out.push(`local rate limit when ${headers || 'always'}: ${bucketText(objectField(c, 'token_bucket'))}`)
    }
    return out
  }
  if (/ratelimit/.test(name)) {
    const descriptors = arrayField(typed, 'descriptors').map(d => `${stringField(d, 'descriptor_key') ?? '?'}=<${stringField(d, 'property') ?? '?'}>`)
    const cluster = stringField(objectField(objectField(objectField(typed, 'rate_limit_service'), 'grpc_service'), 'envoy_grpc'), 'cluster_name')
    return [`global rate limit: domain ${stringField(typed, 'domain') ?? '?'}, descriptors ${descriptors.join(' ') || 'none'}${cluster ? `, service ${cluster}` : ''}`]
  }
  return []
}
