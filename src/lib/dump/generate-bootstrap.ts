// The BootstrapConfigDump of an Istio 1.18 sidecar with Aeraki's bootstrap override: the Istio template's
// static clusters with `aeraki-xds` appended last (config-dump.md §2.3 `rds.config_source`, §5.2).

import type {JsonObject} from './json.js'
import {
  grpcApiConfigSource,
  http2ProtocolOptions,
  loadAssignment,
  pipeAddress,
  sdsSecretConfig,
  socketAddress,
  typed,
  xdsCircuitBreakers,
} from './generate-common.js'

export interface PodIdentity {
  podName: string
  namespace: string
  podIp: string
  app: string
}

export const ISTIO_VERSION = '1.18.1'
export const PROXY_IMAGE = 'ghcr.io/aeraki-mesh/meta-protocol-proxy:1.4.2'

export function aerakiXdsCluster(): JsonObject {
  return {
    name: 'aeraki-xds',
    type: 'STRICT_DNS',
    connect_timeout: '1s',
    max_requests_per_connection: 1,
    circuit_breakers: xdsCircuitBreakers(),
    http2_protocol_options: {},
    transport_socket: {
      name: 'envoy.transport_sockets.tls',
      typed_config: typed('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', {
        common_tls_context: {
          tls_certificate_sds_secret_configs: [sdsSecretConfig('default')],
          validation_context_sds_secret_config: sdsSecretConfig('ROOTCA'),
        },
      }),
    },
    upstream_connection_options: {tcp_keepalive: {keepalive_time: 300}},
    load_assignment: loadAssignment('aeraki-xds', [socketAddress('aeraki.istio-system', 15010)]),
  }
}

/** Bootstrap static clusters in the order the Istio template lists them. */
export function bootstrapClusters(): JsonObject[] {
  return [
    {name: 'prometheus_stats', type: 'STATIC', connect_timeout: '0.250s', load_assignment: loadAssignment('prometheus_stats', [socketAddress('127.0.0.1', 15000)])},
    {name: 'agent', type: 'STATIC', connect_timeout: '0.250s', load_assignment: loadAssignment('agent', [socketAddress('127.0.0.1', 15020)])},
    {
      name: 'sds-grpc',
      type: 'STATIC',
      connect_timeout: '1s',
      load_assignment: loadAssignment('sds-grpc', [pipeAddress('./var/run/secrets/workload-spiffe-uds/socket')]),
      typed_extension_protocol_options: http2ProtocolOptions(),
    },
    {
      name: 'xds-grpc',
      type: 'STATIC',
      connect_timeout: '1s',
      max_requests_per_connection: 1,
      circuit_breakers: xdsCircuitBreakers(),
      upstream_connection_options: {tcp_keepalive: {keepalive_time: 300}},
      load_assignment: loadAssignment('xds-grpc', [pipeAddress('./etc/istio/proxy/XDS')]),
      typed_extension_protocol_options: http2ProtocolOptions(),
    },
    {
      name: 'zipkin',
      type: 'STRICT_DNS',
      connect_timeout: '1s',
      dns_refresh_rate: '30s',
      dns_lookup_family: 'V4_ONLY',
      load_assignment: loadAssignment('zipkin', [socketAddress('zipkin.istio-system', 9411)]),
      respect_dns_ttl: true,
    },
    aerakiXdsCluster(),
  ]
}

function nodeOf(pod: PodIdentity): JsonObject {
  return {
    id: `sidecar~${pod.podIp}~${pod.podName}.${pod.namespace}~${pod.namespace}.svc.cluster.local`,
    cluster: `${pod.app}.${pod.namespace}`,
    metadata: {
      ANNOTATIONS: {
        'kubectl.kubernetes.io/default-container': pod.app,
        'sidecar.istio.io/bootstrapOverride': 'aeraki-bootstrap-config',
        'sidecar.istio.io/proxyImage': PROXY_IMAGE,
      },
      APP_CONTAINERS: pod.app,
      CLUSTER_ID: 'Kubernetes',
      INSTANCE_IPS: pod.podIp,
      INTERCEPTION_MODE: 'REDIRECT',
      ISTIO_VERSION,
      LABELS: {app: pod.app, 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': pod.app},
      MESH_ID: 'cluster.local',
      NAME: pod.podName,
      NAMESPACE: pod.namespace,
      SERVICE_ACCOUNT: 'default',
      WORKLOAD_NAME: pod.app,
    },
    locality: {},
    user_agent_name: 'envoy',
    user_agent_build_version: {version: {major_number: 1, minor_number: 26, patch: 3}, metadata: {'build.type': 'RELEASE'}},
  }
}

export function bootstrapSection(pod: PodIdentity, lastUpdated: string): JsonObject {
  return typed('envoy.admin.v3.BootstrapConfigDump', {
    bootstrap: {
      node: nodeOf(pod),
      static_resources: {clusters: bootstrapClusters()},
      dynamic_resources: {
        lds_config: {ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3'},
        cds_config: {ads: {}, initial_fetch_timeout: '0s', resource_api_version: 'V3'},
        ads_config: grpcApiConfigSource('xds-grpc', true),
      },
      tracing: {
        http: {
          name: 'envoy.tracers.zipkin',
          typed_config: typed('envoy.config.trace.v3.ZipkinConfig', {
            collector_cluster: 'zipkin',
            collector_endpoint: '/api/v2/spans',
            trace_id_128bit: true,
            shared_span_context: false,
            collector_endpoint_version: 'HTTP_JSON',
          }),
        },
      },
      admin: {
        profile_path: '/var/lib/istio/data/envoy.prof',
        address: socketAddress('127.0.0.1', 15000),
        access_log: [{name: 'envoy.access_loggers.file', typed_config: typed('envoy.extensions.access_loggers.file.v3.FileAccessLog', {path: '/dev/null'})}],
      },
      // pilot-agent's runtime flags (istio/istio pkg/bootstrap/config.go extractRuntimeFlags), among them the RE2
      // program-size limit the proxy NACKs regexes above (docs/re2.md).
      layered_runtime: {
        layers: [
          {name: 'global config', static_layer: {'re2.max_program_size.error_level': '32768'}},
          {name: 'admin', admin_layer: {}},
        ],
      },
    },
    last_updated: lastUpdated,
  })
}
