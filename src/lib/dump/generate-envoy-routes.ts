// Envoy's own HTTP route sections. The dynamic route config `9090` (Prometheus) and the two unnamed
// static ones exist in the demo's client dump (config-dump.md §5.3); emitting them makes sure readers
// never take an Envoy HTTP route config for a MetaProtocol one.

import {PROMETHEUS_CLUSTER_IP, PROMETHEUS_HOST, PROMETHEUS_PORT, typed} from './generate-common.js'
import type {JsonObject} from './json.js'
import {ENVOY_ROUTE_CONFIGURATION} from './type-urls.js'

function staticRouteConfig(prefix: string, cluster: string, lastUpdated: string): JsonObject {
  return {
    route_config: typed(ENVOY_ROUTE_CONFIGURATION, {virtual_hosts: [{name: 'backend', domains: ['*'], routes: [{match: {prefix}, route: {cluster}}]}]}),
    last_updated: lastUpdated,
  }
}

function prometheusRouteConfig(): JsonObject {
  const host = PROMETHEUS_HOST
  const shortName = host.split('.').slice(0, 2).join('.')
  return typed(ENVOY_ROUTE_CONFIGURATION, {
    name: String(PROMETHEUS_PORT),
    virtual_hosts: [
      {
        name: `${host}:${PROMETHEUS_PORT}`,
        domains: [host, shortName, `${shortName}.svc`, PROMETHEUS_CLUSTER_IP],
        routes: [
          {
            match: {prefix: '/'},
            route: {cluster: `outbound|${PROMETHEUS_PORT}||${host}`, timeout: '0s', max_grpc_timeout: '0s'},
            decorator: {operation: `${host}:${PROMETHEUS_PORT}/*`},
            name: 'default',
          },
        ],
        include_request_attempt_count: true,
      },
      {
        name: 'allow_any',
        domains: ['*'],
        routes: [{match: {prefix: '/'}, route: {cluster: 'PassthroughCluster', timeout: '0s', max_grpc_timeout: '0s'}, name: 'allow_any'}],
        include_request_attempt_count: true,
      },
    ],
    validate_clusters: false,
    ignore_port_in_host_matching: true,
  })
}

export function scopedRoutesSection(): JsonObject {
  // An empty section prints only its @type (config-dump.md §1.3).
  return typed('envoy.admin.v3.ScopedRoutesConfigDump')
}

export function envoyRoutesSection(versionInfo: string, lastUpdated: string, bootstrapUpdated: string): JsonObject {
  return typed('envoy.admin.v3.RoutesConfigDump', {
    static_route_configs: [staticRouteConfig('/stats/prometheus', 'prometheus_stats', bootstrapUpdated), staticRouteConfig('/healthz/ready', 'agent', bootstrapUpdated)],
    dynamic_route_configs: [{version_info: versionInfo, route_config: prometheusRouteConfig(), last_updated: lastUpdated}],
  })
}
