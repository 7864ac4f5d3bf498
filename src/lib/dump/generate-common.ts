// Building blocks shared by the dump generator's sections: the shapes Istio 1.18 repeats everywhere
// (config sources, SDS references, addresses), copied from the fixture dumps' structure.

import type {JsonObject} from './json.js'
import {TYPE_URL_PREFIX} from './type-urls.js'

export const PROMETHEUS_HOST = 'prometheus.istio-system.svc.cluster.local'
export const PROMETHEUS_PORT = 9090
export const PROMETHEUS_CLUSTER_IP = '10.106.77.12'
export const KUBE_DNS_HOST = 'kube-dns.kube-system.svc.cluster.local'
export const KUBE_DNS_IP = '10.96.0.10'

export function typed(typeName: string, body: JsonObject = {}): JsonObject {
  return {'@type': TYPE_URL_PREFIX + typeName, ...body}
}

export function socketAddress(address: string, port: number): JsonObject {
  return {socket_address: {address, port_value: port}}
}

export function pipeAddress(path: string): JsonObject {
  return {pipe: {path}}
}

export function adsConfigSource(): JsonObject {
  return {ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3'}
}

export function grpcApiConfigSource(cluster: string, setNodeOnFirstMessageOnly: boolean): JsonObject {
  const source: JsonObject = {api_type: 'GRPC', grpc_services: [{envoy_grpc: {cluster_name: cluster}}]}
  if (setNodeOnFirstMessageOnly) source.set_node_on_first_message_only = true
  source.transport_api_version = 'V3'
  return source
}

export function sdsSecretConfig(name: string): JsonObject {
  return {name, sds_config: {api_config_source: grpcApiConfigSource('sds-grpc', true), initial_fetch_timeout: '0s', resource_api_version: 'V3'}}
}

export function loadAssignment(clusterName: string, addresses: JsonObject[]): JsonObject {
  return {cluster_name: clusterName, endpoints: [{lb_endpoints: addresses.map((address) => ({endpoint: {address}}))}]}
}

export function http2ProtocolOptions(): JsonObject {
  return {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': typed('envoy.extensions.upstreams.http.v3.HttpProtocolOptions', {
      explicit_http_config: {http2_protocol_options: {}},
    }),
  }
}

export function maxCircuitBreakers(): JsonObject {
  const max = 4294967295
  return {thresholds: [{max_connections: max, max_pending_requests: max, max_requests: max, max_retries: max, track_remaining: true}]}
}

export function xdsCircuitBreakers(): JsonObject {
  const limits = {max_connections: 100000, max_pending_requests: 100000, max_requests: 100000}
  return {thresholds: [{...limits}, {priority: 'HIGH', ...limits}]}
}

export function istioStatsFilter(): JsonObject {
  return {name: 'istio.stats', typed_config: typed('stats.PluginConfig')}
}

export function tcpProxyFilter(cluster: string): JsonObject {
  return {
    name: 'envoy.filters.network.tcp_proxy',
    typed_config: typed('envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', {stat_prefix: cluster, cluster}),
  }
}

export function routerHttpFilter(): JsonObject {
  return {name: 'envoy.filters.http.router', typed_config: typed('envoy.extensions.filters.http.router.v3.Router')}
}

/** `name.namespace.svc.cluster.local` → name and namespace; other hosts (ServiceEntries) keep the host as name. */
export function serviceOfHost(host: string, fallbackNamespace: string): {host: string; name: string; namespace: string} {
  const parts = host.split('.')
  if (parts.length >= 3 && parts[2] === 'svc') return {host, name: parts[0], namespace: parts[1]}
  return {host, name: host, namespace: fallbackNamespace}
}

/** Fixed, readable fake PEM: the fixtures' certificates are not X.509 either (config-dump.md §5.2). */
export function fakePemBase64(label: string): string {
  const body = Buffer.from(`Generated ${label} for tests; not a real X.509 certificate.`).toString('base64')
  return Buffer.from(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`).toString('base64')
}
