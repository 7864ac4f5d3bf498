// The ListenersConfigDump of a client sidecar: Istio's static 15090/15021 listeners, one `<VIP>_<port>`
// listener per MetaProtocol service whose tcp_proxy Aeraki replaced by the MetaProtocol TypedStruct
// (config-dump.md §2.1-2.3), plus the demo's HTTP listener `0.0.0.0_9090` for Prometheus so that readers
// are tested against an HTTP listener on the same port (§2.4).

import {
  KUBE_DNS_HOST,
  KUBE_DNS_IP,
  PROMETHEUS_PORT,
  adsConfigSource,
  grpcApiConfigSource,
  istioStatsFilter,
  routerHttpFilter,
  socketAddress,
  tcpProxyFilter,
  typed,
} from './generate-common.js'
import type {JsonObject} from './json.js'
import {ENVOY_LISTENER, META_PROTOCOL_PROXY, TYPE_URL_PREFIX, UDPA_TYPED_STRUCT} from './type-urls.js'

export interface MetaProtocolListenerSpec {
  host: string
  port: number
  vip: string
  applicationProtocol: string
  routeConfigName: string
}

export interface ListenerTimes {
  versionInfo: string
  lastUpdated: string
  bootstrapUpdated: string
}

const ACCESS_LOG_FORMAT =
  '[%START_TIME%] %REQ(X-META-PROTOCOL-APPLICATION-PROTOCOL)% %RESPONSE_CODE% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "%REQ(X-FORWARDED-FOR)%" "%REQ(X-REQUEST-ID)%" %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %ROUTE_NAME%\n'

/** The MetaProtocolProxy value as Envoy re-serialises it: snake_case, field-number order (§2.1 point 3). */
export function metaProtocolProxyValue(spec: MetaProtocolListenerSpec): JsonObject {
  const value: JsonObject = {stat_prefix: `outbound|${spec.port}||${spec.host}`}
  if (spec.applicationProtocol !== '') value.application_protocol = spec.applicationProtocol
  value.rds = {
    config_source: {api_config_source: grpcApiConfigSource('aeraki-xds', false), resource_api_version: 'V3'},
    route_config_name: spec.routeConfigName,
  }
  value.codec = spec.applicationProtocol === '' ? {} : {name: `aeraki.meta_protocol.codec.${spec.applicationProtocol}`}
  value.meta_protocol_filters = [
    {name: 'aeraki.meta_protocol.filters.metadata_exchange'},
    {
      name: 'aeraki.meta_protocol.filters.istio_stats',
      config: typed('aeraki.meta_protocol_proxy.filters.istio_stats.v1alpha.IstioStats', {destination_service: spec.host}),
    },
    {name: 'aeraki.meta_protocol.filters.router'},
  ]
  value.tracing = {client_sampling: {value: 100}, random_sampling: {value: 100}, overall_sampling: {value: 100}}
  value.access_log = [
    {
      name: 'envoy.access_loggers.file',
      typed_config: typed('envoy.extensions.access_loggers.file.v3.FileAccessLog', {
        path: '/dev/stdout',
        log_format: {text_format_source: {inline_string: ACCESS_LOG_FORMAT}},
      }),
    },
  ]
  return value
}

function metaProtocolListener(spec: MetaProtocolListenerSpec): JsonObject {
  const name = `${spec.vip}_${spec.port}`
  return typed(ENVOY_LISTENER, {
    name,
    address: socketAddress(spec.vip, spec.port),
    filter_chains: [
      {
        filters: [
          istioStatsFilter(),
          {
            name: 'envoy.filters.network.meta_protocol_proxy',
            typed_config: {
              '@type': TYPE_URL_PREFIX + UDPA_TYPED_STRUCT,
              type_url: TYPE_URL_PREFIX + META_PROTOCOL_PROXY,
              value: metaProtocolProxyValue(spec),
            },
          },
        ],
      },
    ],
    traffic_direction: 'OUTBOUND',
    bind_to_port: false,
  })
}

function tcpListener(vip: string, port: number, cluster: string): JsonObject {
  return typed(ENVOY_LISTENER, {
    name: `${vip}_${port}`,
    address: socketAddress(vip, port),
    filter_chains: [{filters: [istioStatsFilter(), tcpProxyFilter(cluster)]}],
    traffic_direction: 'OUTBOUND',
    bind_to_port: false,
  })
}

function httpListener(port: number): JsonObject {
  const name = `0.0.0.0_${port}`
  return typed(ENVOY_LISTENER, {
    name,
    address: socketAddress('0.0.0.0', port),
    filter_chains: [
      {
        filter_chain_match: {transport_protocol: 'raw_buffer', application_protocols: ['http/1.1', 'h2c']},
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: typed('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', {
              stat_prefix: `outbound_0.0.0.0_${port}`,
              rds: {config_source: adsConfigSource(), route_config_name: String(port)},
              http_filters: [istioStatsFilter(), routerHttpFilter()],
              use_remote_address: false,
              stream_idle_timeout: '0s',
              normalize_path: true,
            }),
          },
        ],
        name,
      },
    ],
    traffic_direction: 'OUTBOUND',
    default_filter_chain: {filters: [istioStatsFilter(), tcpProxyFilter('PassthroughCluster')], name: 'PassthroughFilterChain'},
    bind_to_port: false,
  })
}

function virtualOutbound(): JsonObject {
  return typed(ENVOY_LISTENER, {
    name: 'virtualOutbound',
    address: socketAddress('0.0.0.0', 15001),
    filter_chains: [
      {filter_chain_match: {destination_port: 15001}, filters: [istioStatsFilter(), tcpProxyFilter('BlackHoleCluster')], name: 'virtualOutbound-blackhole'},
      {filters: [istioStatsFilter(), tcpProxyFilter('PassthroughCluster')], name: 'virtualOutbound-catchall-tcp'},
    ],
    use_original_dst: true,
    traffic_direction: 'OUTBOUND',
  })
}

function staticHttpListener(port: number, statPrefix: string, prefix: string, cluster: string): JsonObject {
  return typed(ENVOY_LISTENER, {
    address: socketAddress('0.0.0.0', port),
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: typed('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', {
              stat_prefix: statPrefix,
              route_config: {virtual_hosts: [{name: 'backend', domains: ['*'], routes: [{match: {prefix}, route: {cluster}}]}]},
              http_filters: [routerHttpFilter()],
            }),
          },
        ],
      },
    ],
  })
}

export function listenersSection(specs: readonly MetaProtocolListenerSpec[], times: ListenerTimes): JsonObject {
  const active = (listener: JsonObject): JsonObject => ({
    name: listener.name,
    active_state: {version_info: times.versionInfo, listener, last_updated: times.lastUpdated},
  })
  return typed('envoy.admin.v3.ListenersConfigDump', {
    version_info: times.versionInfo,
    static_listeners: [
      {listener: staticHttpListener(15090, 'stats', '/stats/prometheus', 'prometheus_stats'), last_updated: times.bootstrapUpdated},
      {listener: staticHttpListener(15021, 'agent', '/healthz/ready', 'agent'), last_updated: times.bootstrapUpdated},
    ],
    dynamic_listeners: [
      active(tcpListener(KUBE_DNS_IP, 53, `outbound|53||${KUBE_DNS_HOST}`)),
      ...specs.map((spec) => active(metaProtocolListener(spec))),
      active(httpListener(PROMETHEUS_PORT)),
      active(virtualOutbound()),
    ],
  })
}
