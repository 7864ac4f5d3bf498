// Generates a structurally faithful `/config_dump` of an Aeraki client sidecar from route tables: the inverse
// of extractMetaProtocolRouteTables + extractMetaProtocolListeners + extractClusters. The Kubernetes emulator
// answers `pilot-agent request GET config_dump` with it. Sections come in Envoy's tracker-key order
// (config-dump.md §1.2); every value uses the JSON conventions of §1.7.

import type {RouteTable} from '../routing/types.js'
import {buildClusterName, parseClusterName, type ClusterNameParts} from './cluster-name.js'
import {bootstrapSection} from './generate-bootstrap.js'
import {clustersSection, endpointsSection} from './generate-clusters.js'
import {KUBE_DNS_HOST, PROMETHEUS_HOST, PROMETHEUS_PORT, typed} from './generate-common.js'
import {envoyRoutesSection, scopedRoutesSection} from './generate-envoy-routes.js'
import {listenersSection, type MetaProtocolListenerSpec} from './generate-listeners.js'
import {routeConfigurationJson} from './generate-routes.js'
import {secretsSection} from './generate-secrets.js'
import type {JsonObject} from './json.js'
import {routeTableName} from './table-name.js'
import {AERAKI_ROUTES_CONFIG_DUMP} from './type-urls.js'

export interface GenerateServiceInput {
  host: string
  port: number
  clusterIp: string
  applicationProtocol: string
}

export interface GenerateConfigDumpInput {
  tables: RouteTable[]
  podName: string
  namespace: string
  podIp: string
  /** MetaProtocol services the sidecar has an outbound listener for (`<clusterIp>_<port>`). */
  services: GenerateServiceInput[]
  /** DestinationRule subsets per host: one `outbound|port|subset|host` cluster each. */
  subsetsByHost?: Record<string, string[]>
  /** RDS version of tables that carry none; Aeraki uses Unix seconds. */
  versionInfo?: string
  /** RFC 3339 update time of tables that carry none; derived from a Unix-seconds versionInfo by default. */
  lastUpdated?: string
  /** The app label (Deployment name); derived from the pod name by default. */
  app?: string
  /** Add the EndpointsConfigDump that `?include_eds` adds. */
  includeEds?: boolean
  /** Endpoints per cluster name for `includeEds`. */
  endpoints?: Record<string, Array<{ip: string; port: number}>>
  /** Add one EcdsConfigDump per name, as configured ECDS filters (e.g. a WasmPlugin) do. */
  ecdsFilters?: string[]
}

const DEFAULT_VERSION = '1717061204'
const DEFAULT_UPDATED = '2024-05-30T09:26:44.851Z'
/** Aeraki allocates VIPs from 240.240.0.0/16 for services without an address (config-dump.md §2.3). */
const AERAKI_VIP_BASE = [240, 240]

/** `thrift-sample-client-6f9c7d8b5-x2k4p` → `thrift-sample-client` (Deployment pods end in ReplicaSet hash and pod suffix). */
export function appOfPodName(podName: string): string {
  const match = /^(.*)-[a-z0-9]{5,10}-[a-z0-9]{5}$/.exec(podName)
  return match ? match[1] : podName
}

function updatedOf(versionInfo: string, explicit: string | undefined): string {
  if (explicit !== undefined) return explicit
  if (/^\d{9,11}$/.test(versionInfo)) return new Date(Number(versionInfo) * 1000).toISOString()
  return DEFAULT_UPDATED
}

function shiftSeconds(iso: string, seconds: number): string {
  const time = Date.parse(iso)
  return Number.isNaN(time) ? iso : new Date(time + seconds * 1000).toISOString()
}

/** Istio's push version looks like `2024-05-30T09:20:11Z/25`. */
function istioVersionOf(iso: string): string {
  return `${iso.replace(/\.\d+Z$/, 'Z')}/1`
}

function listenerSpecs(input: GenerateConfigDumpInput): MetaProtocolListenerSpec[] {
  const tablesByName = new Map(input.tables.map((t) => [t.name, t]))
  const specs: MetaProtocolListenerSpec[] = []
  const covered = new Set<string>()
  for (const service of input.services) {
    const routeConfigName = routeTableName(service.host, service.port)
    const table = tablesByName.get(routeConfigName)
    specs.push({
      host: service.host,
      port: service.port,
      vip: service.clusterIp,
      applicationProtocol: table && table.applicationProtocol !== '' ? table.applicationProtocol : service.applicationProtocol,
      routeConfigName,
    })
    covered.add(routeConfigName)
  }
  // A proxy only holds a route table because a listener subscribed to it: give orphan tables an Aeraki VIP.
  let vipIndex = 1
  for (const table of input.tables) {
    if (covered.has(table.name)) continue
    covered.add(table.name)
    const vip = `${AERAKI_VIP_BASE[0]}.${AERAKI_VIP_BASE[1]}.${vipIndex >> 8}.${vipIndex & 255}`
    vipIndex++
    specs.push({host: table.host, port: table.port, vip, applicationProtocol: table.applicationProtocol, routeConfigName: table.name})
  }
  return specs
}

function referencedClusters(tables: readonly RouteTable[]): string[] {
  const names: string[] = []
  for (const table of tables) {
    for (const route of table.routes) {
      if (route.action.kind === 'cluster') names.push(route.action.cluster)
      else for (const c of route.action.clusters) names.push(c.name)
      if (route.mirror) names.push(route.mirror.cluster)
    }
  }
  return names
}

function outboundClusters(input: GenerateConfigDumpInput, specs: readonly MetaProtocolListenerSpec[]): {parts: ClusterNameParts[]; withDestinationRule: Set<string>} {
  const byName = new Map<string, ClusterNameParts>()
  const withDestinationRule = new Set<string>()
  const add = (parts: ClusterNameParts): void => {
    if (parts.subset !== '') withDestinationRule.add(parts.host)
    byName.set(buildClusterName(parts), parts)
  }
  for (const spec of specs) {
    add({direction: 'outbound', port: spec.port, subset: '', host: spec.host})
    for (const subset of input.subsetsByHost?.[spec.host] ?? []) add({direction: 'outbound', port: spec.port, subset, host: spec.host})
  }
  for (const name of referencedClusters(input.tables)) {
    const parts = parseClusterName(name)
    if (parts && parts.direction === 'outbound') add(parts)
  }
  for (const host of Object.keys(input.subsetsByHost ?? {})) if ((input.subsetsByHost?.[host] ?? []).length > 0) withDestinationRule.add(host)
  add({direction: 'outbound', port: PROMETHEUS_PORT, subset: '', host: PROMETHEUS_HOST})
  add({direction: 'outbound', port: 53, subset: '', host: KUBE_DNS_HOST})
  return {parts: [...byName.values()], withDestinationRule}
}

function aerakiRoutesSection(tables: readonly RouteTable[], versionInfo: string, lastUpdated: string): JsonObject {
  const section = typed(AERAKI_ROUTES_CONFIG_DUMP)
  if (tables.length > 0) {
    section.dynamic_route_configs = tables.map((table) => ({
      version_info: table.versionInfo ?? versionInfo,
      route_config: routeConfigurationJson(table),
      last_updated: table.lastUpdated ?? lastUpdated,
    }))
  }
  return section
}

function ecdsSection(name: string, versionInfo: string, lastUpdated: string): JsonObject {
  return typed('envoy.admin.v3.EcdsConfigDump', {
    ecds_filters: [
      {
        version_info: versionInfo,
        ecds_filter: typed('envoy.config.core.v3.TypedExtensionConfig', {
          name,
          typed_config: typed('envoy.extensions.filters.network.wasm.v3.Wasm', {config: {name, vm_config: {runtime: 'envoy.wasm.runtime.v8'}}}),
        }),
        last_updated: lastUpdated,
      },
    ],
  })
}

export function generateConfigDump(input: GenerateConfigDumpInput): {configs: JsonObject[]} {
  const versionInfo = input.versionInfo ?? input.tables.find((t) => t.versionInfo !== undefined)?.versionInfo ?? DEFAULT_VERSION
  const routesUpdated = updatedOf(versionInfo, input.lastUpdated)
  // Istio pushes listeners and clusters before Aeraki's RDS answer; the bootstrap is older still.
  const istioUpdated = shiftSeconds(routesUpdated, -30)
  const bootstrapUpdated = shiftSeconds(routesUpdated, -60)
  const istioVersion = istioVersionOf(istioUpdated)
  const pod = {podName: input.podName, namespace: input.namespace, podIp: input.podIp, app: input.app ?? appOfPodName(input.podName)}

  const specs = listenerSpecs(input)
  const {parts, withDestinationRule} = outboundClusters(input, specs)
  const times = {versionInfo: istioVersion, lastUpdated: istioUpdated, bootstrapUpdated}

  const configs: JsonObject[] = [bootstrapSection(pod, bootstrapUpdated), clustersSection(parts, withDestinationRule, input.namespace, times)]
  for (const name of input.ecdsFilters ?? []) configs.push(ecdsSection(name, istioVersion, istioUpdated))
  if (input.includeEds) {
    const eds = parts.map((p) => ({cluster: buildClusterName(p), endpoints: input.endpoints?.[buildClusterName(p)] ?? []}))
    configs.push(endpointsSection(eds, times))
  }
  configs.push(listenersSection(specs, times))
  // A sidecar without MetaProtocol listeners never instantiates the proxy's route manager (config-dump.md §1.4).
  if (specs.length > 0) configs.push(aerakiRoutesSection(input.tables, versionInfo, routesUpdated))
  configs.push(scopedRoutesSection(), envoyRoutesSection(istioVersion, istioUpdated, bootstrapUpdated), secretsSection(istioVersion, bootstrapUpdated, pod.app))
  return {configs}
}
