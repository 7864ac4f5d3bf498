// The ClustersConfigDump: bootstrap clusters as static ones, and Istio's outbound EDS clusters
// `outbound|port|subset|host` for every service port and DestinationRule subset (config-dump.md §2.3, §5.2).

import {buildClusterName, type ClusterNameParts} from './cluster-name.js'
import {bootstrapClusters} from './generate-bootstrap.js'
import {adsConfigSource, maxCircuitBreakers, sdsSecretConfig, serviceOfHost, typed} from './generate-common.js'
import type {JsonObject} from './json.js'
import {ENVOY_CLUSTER} from './type-urls.js'

export interface ClusterTimes {
  versionInfo: string
  lastUpdated: string
  bootstrapUpdated: string
}

function istioMetadata(parts: ClusterNameParts, namespace: string, hasDestinationRule: boolean): JsonObject {
  const service = serviceOfHost(parts.host, namespace)
  const istio: JsonObject = {default_original_port: parts.port, services: [service]}
  if (hasDestinationRule) istio.config = `/apis/networking.istio.io/v1alpha3/namespaces/${service.namespace}/destination-rule/${service.name}`
  if (parts.subset !== '') istio.subset = parts.subset
  return {filter_metadata: {istio}}
}

function upstreamTlsMatches(parts: ClusterNameParts, namespace: string): JsonObject[] {
  const service = serviceOfHost(parts.host, namespace)
  return [
    {
      name: 'tlsMode-istio',
      match: {tlsMode: 'istio'},
      transport_socket: {
        name: 'envoy.transport_sockets.tls',
        typed_config: typed('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', {
          common_tls_context: {
            tls_params: {tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3'},
            alpn_protocols: ['istio-peer-exchange', 'istio'],
            tls_certificate_sds_secret_configs: [sdsSecretConfig('default')],
            combined_validation_context: {
              default_validation_context: {match_subject_alt_names: [{exact: `spiffe://cluster.local/ns/${service.namespace}/sa/default`}]},
              validation_context_sds_secret_config: sdsSecretConfig('ROOTCA'),
            },
          },
          sni: `outbound_.${parts.port}_.${parts.subset === '' ? '_' : parts.subset}_.${parts.host}`,
        }),
      },
    },
    {
      name: 'tlsMode-disabled',
      match: {},
      transport_socket: {name: 'envoy.transport_sockets.raw_buffer', typed_config: typed('envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer')},
    },
  ]
}

export function edsCluster(parts: ClusterNameParts, namespace: string, hasDestinationRule: boolean): JsonObject {
  const name = buildClusterName(parts)
  return typed(ENVOY_CLUSTER, {
    name,
    type: 'EDS',
    eds_cluster_config: {eds_config: adsConfigSource(), service_name: name},
    connect_timeout: '10s',
    lb_policy: 'LEAST_REQUEST',
    circuit_breakers: maxCircuitBreakers(),
    metadata: istioMetadata(parts, namespace, hasDestinationRule),
    common_lb_config: {},
    filters: [{name: 'istio.metadata_exchange', typed_config: typed('envoy.tcp.metadataexchange.config.MetadataExchange', {protocol: 'istio-peer-exchange'})}],
    transport_socket_matches: upstreamTlsMatches(parts, namespace),
  })
}

function passthroughClusters(): JsonObject[] {
  return [
    typed(ENVOY_CLUSTER, {name: 'BlackHoleCluster', type: 'STATIC', connect_timeout: '10s'}),
    typed(ENVOY_CLUSTER, {
      name: 'PassthroughCluster',
      type: 'ORIGINAL_DST',
      connect_timeout: '10s',
      lb_policy: 'CLUSTER_PROVIDED',
      circuit_breakers: maxCircuitBreakers(),
      filters: [{name: 'istio.metadata_exchange', typed_config: typed('envoy.tcp.metadataexchange.config.MetadataExchange', {protocol: 'istio-peer-exchange'})}],
    }),
  ]
}

/**
 * `outbound` holds the EDS clusters to emit; `withDestinationRule` the hosts that have subsets (their
 * clusters carry the DestinationRule reference in `filter_metadata.istio.config`).
 */
export function clustersSection(outbound: readonly ClusterNameParts[], withDestinationRule: ReadonlySet<string>, namespace: string, times: ClusterTimes): JsonObject {
  const staticClusters = bootstrapClusters()
    .map((c) => typed(ENVOY_CLUSTER, c))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)))
    .map((cluster) => ({cluster, last_updated: times.bootstrapUpdated}))
  // Envoy prints dynamic clusters sorted by name (the fixture dumps show the same order).
  const dynamic = [...passthroughClusters(), ...outbound.map((p) => edsCluster(p, namespace, withDestinationRule.has(p.host)))]
    .sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0))
    .map((cluster) => ({version_info: times.versionInfo, cluster, last_updated: times.lastUpdated}))
  return typed('envoy.admin.v3.ClustersConfigDump', {
    version_info: times.versionInfo,
    static_clusters: staticClusters,
    dynamic_active_clusters: dynamic,
  })
}

/** The EndpointsConfigDump added by `?include_eds`; one ClusterLoadAssignment per EDS cluster. */
export function endpointsSection(clusterEndpoints: ReadonlyArray<{cluster: string; endpoints: ReadonlyArray<{ip: string; port: number}>}>, times: ClusterTimes): JsonObject {
  return typed('envoy.admin.v3.EndpointsConfigDump', {
    dynamic_endpoint_configs: clusterEndpoints.map(({cluster, endpoints}) => ({
      version_info: times.versionInfo,
      endpoint_config: typed('envoy.config.endpoint.v3.ClusterLoadAssignment', {
        cluster_name: cluster,
        endpoints: [
          {
            locality: {},
            lb_endpoints: endpoints.map((e) => ({
              endpoint: {address: {socket_address: {address: e.ip, port_value: e.port}}, health_check_config: {}},
              health_status: 'HEALTHY',
              load_balancing_weight: 1,
            })),
          },
        ],
      }),
      last_updated: times.lastUpdated,
    })),
  })
}
