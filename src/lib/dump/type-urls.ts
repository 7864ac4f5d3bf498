// Fully qualified message names (the part of an `@type` after the last `/`) the dump readers care about.
// Sources: config-dump.md §1.2 (section types), §2.1 (MetaProtocol filter), §3.1 (route configuration).

export const TYPE_URL_PREFIX = 'type.googleapis.com/'

export const AERAKI_ROUTES_CONFIG_DUMP = 'aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump'
export const AERAKI_ROUTE_CONFIGURATION = 'aeraki.meta_protocol_proxy.config.route.v1alpha.RouteConfiguration'
export const META_PROTOCOL_PROXY = 'aeraki.meta_protocol_proxy.v1alpha.MetaProtocolProxy'
export const UDPA_TYPED_STRUCT = 'udpa.type.v1.TypedStruct'
export const XDS_TYPED_STRUCT = 'xds.type.v3.TypedStruct'

export const ENVOY_ROUTE_CONFIGURATION = 'envoy.config.route.v3.RouteConfiguration'
export const ENVOY_CLUSTER = 'envoy.config.cluster.v3.Cluster'
export const ENVOY_LISTENER = 'envoy.config.listener.v3.Listener'
export const ENVOY_SECRET = 'envoy.extensions.transport_sockets.tls.v3.Secret'
export const ENVOY_CLUSTER_LOAD_ASSIGNMENT = 'envoy.config.endpoint.v3.ClusterLoadAssignment'

/** Section kinds, named after Envoy's config tracker keys (config-dump.md §1.2). */
export type SectionKind =
  | 'bootstrap'
  | 'clusters'
  | 'ecds'
  | 'endpoints'
  | 'listeners'
  | 'metaprotocol'
  | 'scopedRoutes'
  | 'routes'
  | 'secrets'

/** Message name of each section; Envoy's own sections also existed as `envoy.admin.v2alpha.*` in old builds. */
const ENVOY_ADMIN_SECTIONS: Record<string, SectionKind> = {
  BootstrapConfigDump: 'bootstrap',
  ClustersConfigDump: 'clusters',
  EcdsConfigDump: 'ecds',
  EndpointsConfigDump: 'endpoints',
  ListenersConfigDump: 'listeners',
  ScopedRoutesConfigDump: 'scopedRoutes',
  RoutesConfigDump: 'routes',
  SecretsConfigDump: 'secrets',
}

export const SECTION_TYPE_NAMES: Record<SectionKind, string> = {
  bootstrap: 'envoy.admin.v3.BootstrapConfigDump',
  clusters: 'envoy.admin.v3.ClustersConfigDump',
  ecds: 'envoy.admin.v3.EcdsConfigDump',
  endpoints: 'envoy.admin.v3.EndpointsConfigDump',
  listeners: 'envoy.admin.v3.ListenersConfigDump',
  metaprotocol: AERAKI_ROUTES_CONFIG_DUMP,
  scopedRoutes: 'envoy.admin.v3.ScopedRoutesConfigDump',
  routes: 'envoy.admin.v3.RoutesConfigDump',
  secrets: 'envoy.admin.v3.SecretsConfigDump',
}

export interface SectionType {
  kind: SectionKind
  /**
   * Set when the entry is a single element produced by `?resource=<field>` (config-dump.md §1.5), e.g.
   * `…RoutesConfigDump.DynamicRouteConfig`: the nested message name.
   */
  element?: string
}

/** Classifies a `configs[]` entry by its `@type`; undefined for types we do not know (they are tolerated). */
export function sectionTypeOf(typeName: string): SectionType | undefined {
  const aeraki = AERAKI_ROUTES_CONFIG_DUMP
  if (typeName === aeraki) return {kind: 'metaprotocol'}
  if (typeName.startsWith(aeraki + '.')) return {kind: 'metaprotocol', element: typeName.slice(aeraki.length + 1)}
  const match = /^envoy\.admin\.(?:v3|v2alpha)\.([A-Za-z]+ConfigDump)(?:\.([A-Za-z]+))?$/.exec(typeName)
  if (!match) return undefined
  const kind = ENVOY_ADMIN_SECTIONS[match[1]]
  if (!kind) return undefined
  return match[2] ? {kind, element: match[2]} : {kind}
}
