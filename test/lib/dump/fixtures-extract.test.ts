// The concrete results config-dump.md §5.3 lists for the two fixture dumps, and that they do not depend on
// section order, key casing, or extra sections (include_eds, ECDS).

import {describe, expect, it} from 'vitest'
import {
  extractClusters,
  extractMetaProtocolListeners,
  extractMetaProtocolRouteTables,
  extractMetaProtocolRouteTablesDetailed,
  findSections,
  listListeners,
  parseConfigDump,
} from '../../../src/lib/dump/index.js'
import type {RouteTable} from '../../../src/lib/routing/types.js'
import {camelize, fixtureJson, fixtureText, METHOD_V1, sectionIndex, shuffled, SPLIT} from './fixtures.js'

const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const TABLE = `${HOST}_9090`
const V1 = `outbound|9090|v1|${HOST}`
const V2 = `outbound|9090|v2|${HOST}`

const expectedV1: RouteTable = {
  name: TABLE,
  host: HOST,
  port: 9090,
  applicationProtocol: 'thrift',
  routes: [
    {
      name: 'v1',
      matchers: [{name: 'method', kind: 'exact', value: 'sayHello'}],
      action: {kind: 'cluster', cluster: V1},
      hashPolicy: [],
      mirror: null,
      requestMutation: [],
      responseMutation: [],
    },
  ],
  versionInfo: '1717061204',
  lastUpdated: '2024-05-30T09:26:44.851Z',
}

const expectedSplit: RouteTable = {
  ...expectedV1,
  routes: [
    {
      ...expectedV1.routes[0],
      name: 'traffic-split',
      action: {
        kind: 'weighted',
        clusters: [
          {name: V1, weight: 20},
          {name: V2, weight: 80},
        ],
      },
    },
  ],
  versionInfo: '1717062067',
  lastUpdated: '2024-05-30T09:41:07.262Z',
}

const expectedListener = {
  name: '10.98.211.57_9090',
  address: '10.98.211.57',
  port: 9090,
  state: 'active',
  applicationProtocol: 'thrift',
  codec: 'aeraki.meta_protocol.codec.thrift',
  routeConfigName: TABLE,
  routeConfigSource: 'rds',
  rdsCluster: 'aeraki-xds',
  statPrefix: `outbound|9090||${HOST}`,
  filters: ['aeraki.meta_protocol.filters.metadata_exchange', 'aeraki.meta_protocol.filters.istio_stats', 'aeraki.meta_protocol.filters.router'],
  versionInfo: '2024-05-30T09:20:40Z/26',
  lastUpdated: '2024-05-30T09:20:40.318Z',
}

describe('fixture dumps (config-dump.md §5.3)', () => {
  it('method routing fixture gives the v1 table', () => {
    expect(extractMetaProtocolRouteTables(fixtureText(METHOD_V1))).toEqual([expectedV1])
  })

  it('traffic split fixture gives the 20/80 weighted table', () => {
    expect(extractMetaProtocolRouteTables(fixtureText(SPLIT))).toEqual([expectedSplit])
  })

  it('has one Aeraki section, at configs[3], with 1 dynamic and 0 static route configs', () => {
    const json = fixtureJson(METHOD_V1)
    expect(sectionIndex(json, 'aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump')).toBe(3)
    const dump = parseConfigDump(json)
    const sections = findSections(dump, 'metaprotocol')
    expect(sections).toHaveLength(1)
    expect(sections[0]).toBe(json.configs[3])
    expect(extractMetaProtocolRouteTablesDetailed(dump)).toMatchObject({sources: ['dynamic'], warnings: [], hasMetaProtocolSection: true})
  })

  it('finds exactly the one MetaProtocol listener among 4 dynamic listeners, not the HTTP 0.0.0.0_9090', () => {
    for (const name of [METHOD_V1, SPLIT]) {
      const dump = parseConfigDump(fixtureText(name))
      const dynamic = listListeners(dump).filter((l) => l.state === 'active')
      expect(dynamic.map((l) => l.name)).toEqual(['10.96.0.10_53', '10.98.211.57_9090', '0.0.0.0_9090', 'virtualOutbound'])
      expect(extractMetaProtocolListeners(dump)).toEqual([expectedListener])
    }
  })

  it("never takes Envoy's own route configs (Prometheus `9090` and the 2 unnamed static ones) for MetaProtocol routes", () => {
    const json = fixtureJson(METHOD_V1)
    const envoyRoutes = json.configs.find((c) => c['@type'] === 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump') as Record<string, unknown[]>
    expect(envoyRoutes.dynamic_route_configs).toHaveLength(1)
    expect(envoyRoutes.static_route_configs).toHaveLength(2)
    const names = extractMetaProtocolRouteTables(json).map((t) => t.name)
    expect(names).not.toContain('9090')
    expect(names).not.toContain('')
    // Without the Aeraki section only Envoy's route configs are left: nothing is MetaProtocol.
    const withoutAeraki = {configs: json.configs.filter((c) => !String(c['@type']).includes('aeraki'))}
    expect(extractMetaProtocolRouteTablesDetailed(withoutAeraki)).toMatchObject({tables: [], hasMetaProtocolSection: false})
  })

  it('gives the same tables, listeners and clusters whatever the order of configs[]', () => {
    const json = fixtureJson(SPLIT)
    const clusters = extractClusters(json)
    for (const seed of [1, 2, 3, 42, 1234]) {
      const reordered = {configs: shuffled(json.configs, seed)}
      expect(extractMetaProtocolRouteTables(reordered)).toEqual([expectedSplit])
      expect(extractMetaProtocolListeners(reordered)).toEqual([expectedListener])
      expect(extractClusters(reordered)).toEqual(clusters)
    }
  })

  it('gives the same results from a camelCase copy of each fixture', () => {
    for (const [name, expected] of [
      [METHOD_V1, expectedV1],
      [SPLIT, expectedSplit],
    ] as const) {
      const camel = camelize(fixtureJson(name))
      expect(JSON.stringify(camel)).toContain('dynamicRouteConfigs')
      expect(extractMetaProtocolRouteTables(camel)).toEqual([expected])
      expect(extractMetaProtocolListeners(camel)).toEqual([expectedListener])
      expect(extractClusters(camel)).toEqual(extractClusters(fixtureJson(name)))
    }
  })

  it('gives the same tables with an EndpointsConfigDump (include_eds) and an ECDS section inserted', () => {
    const json = fixtureJson(SPLIT)
    const eds = {'@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump', dynamic_endpoint_configs: []}
    const ecds = {'@type': 'type.googleapis.com/envoy.admin.v3.EcdsConfigDump', ecds_filters: []}
    const configs = [...json.configs.slice(0, 2), ecds, eds, ...json.configs.slice(2)]
    expect(sectionIndex({configs}, 'aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump')).toBe(5)
    expect(extractMetaProtocolRouteTables({configs})).toEqual([expectedSplit])
  })

  it('reads `?resource=dynamic_route_configs` output, where each entry is a DynamicRouteConfig', () => {
    const json = fixtureJson(SPLIT)
    const aeraki = json.configs[3] as {dynamic_route_configs: Array<Record<string, unknown>>}
    const resource = {
      configs: aeraki.dynamic_route_configs.map((item) => ({
        '@type': 'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump.DynamicRouteConfig',
        ...item,
      })),
    }
    // No listeners in such output, so the application protocol is unknown.
    expect(extractMetaProtocolRouteTables(resource)).toEqual([{...expectedSplit, applicationProtocol: ''}])
  })

  it('lists the clusters with their Istio name parts and lb policy', () => {
    const clusters = extractClusters(fixtureText(METHOD_V1))
    const byName = new Map(clusters.map((c) => [c.name, c]))
    expect(byName.get(V2)).toMatchObject({type: 'EDS', lbPolicy: 'LEAST_REQUEST', state: 'active', direction: 'outbound', port: 9090, subset: 'v2', host: HOST, edsServiceName: V2})
    expect(byName.get(`outbound|9090||${HOST}`)).toMatchObject({subset: '', host: HOST})
    // lb_policy omitted when it is the proto3 default.
    expect(byName.get('xds-grpc')).toMatchObject({type: 'STATIC', lbPolicy: 'ROUND_ROBIN', state: 'static'})
    expect(byName.get('xds-grpc')).not.toHaveProperty('host')
    expect(byName.get('PassthroughCluster')).toMatchObject({type: 'ORIGINAL_DST', lbPolicy: 'CLUSTER_PROVIDED'})
    expect(clusters.filter((c) => c.state === 'static')).toHaveLength(6)
    expect(clusters.filter((c) => c.state === 'active')).toHaveLength(6)
  })

  it('reads output that went through a TTY (CRLF line ends), since CR is JSON whitespace', () => {
    const crlf = fixtureText(SPLIT).replace(/\n/g, '\r\n')
    expect(crlf).toContain('\r\n')
    expect(extractMetaProtocolRouteTables(crlf)).toEqual([expectedSplit])
  })

  it('finds the Aeraki section even when it is the only section', () => {
    const json = fixtureJson(METHOD_V1)
    expect(extractMetaProtocolRouteTables({configs: [json.configs[3]]})).toEqual([{...expectedV1, applicationProtocol: ''}])
  })
})
