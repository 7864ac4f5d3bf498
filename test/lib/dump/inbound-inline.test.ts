// Config dumps as Aeraki's server-side sidecars write them (issue 11 §6): the inbound MetaProtocol proxy carries its
// table inline (aeraki-mesh/aeraki internal/plugin/metaprotocol/route.go buildInboundRouteConfig, `inbound|<port>||`,
// and e2e TestSidecarInboundConfig), the newer `protocol: {name, codec, multiplexing}` filter form
// (meta-protocol-proxy test/dubbo/test.yaml), and dumps without a clusters section.
import {describe, expect, it} from 'vitest'
import {extractMetaProtocolListeners, extractMetaProtocolRouteTablesDetailed, parseConfigDump} from '../../../src/lib/dump/index.js'
import {renderMetaProtocolTables} from '../../../src/lib/dump/render/render-tables.js'
import {predictFromDump} from '../../../src/lib/dryrun/predict-dump.js'
import {hasClustersSection} from '../../../src/lib/dump/clusters.js'

const MPP = 'type.googleapis.com/aeraki.meta_protocol_proxy.v1alpha.MetaProtocolProxy'
const inboundProxy = {
  stat_prefix: 'inbound|9090||',
  protocol: {name: 'thrift', codec: {name: 'aeraki.meta_protocol.codec.thrift'}, multiplexing: false},
  route_config: {name: 'inbound|9090||', routes: [{route: {cluster: 'inbound|9090||'}}]},
  meta_protocol_filters: [
    {name: 'aeraki.meta_protocol.filters.local_ratelimit', config: {'@type': 'type.googleapis.com/aeraki.meta_protocol_proxy.filters.local_ratelimit.v1alpha.LocalRateLimit', stat_prefix: 'x', token_bucket: {max_tokens: 2, tokens_per_fill: 2, fill_interval: '60s'}}},
    {name: 'aeraki.meta_protocol.filters.router'},
  ],
}
const dump = (withClusters: boolean) => parseConfigDump({configs: [
  {'@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump', dynamic_listeners: [{name: 'virtualInbound', active_state: {version_info: 'v1', listener: {
    name: 'virtualInbound', address: {socket_address: {address: '0.0.0.0', port_value: 15006}},
    filter_chains: [{name: '0.0.0.0_9090', filter_chain_match: {destination_port: 9090}, filters: [{name: 'envoy.filters.network.meta_protocol_proxy', typed_config: {'@type': MPP, ...inboundProxy}}]}],
  }}}]},
  ...(withClusters ? [{'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump', static_clusters: [{cluster: {name: 'inbound|9090||', type: 'STATIC'}}]}] : []),
]})

describe('inbound listeners with an inline route_config', () => {
  it('the inline table is one of the dump\'s MetaProtocol tables, with the listener\'s rate-limit settings', () => {
    const {tables, sources} = extractMetaProtocolRouteTablesDetailed(dump(true))
    expect(tables.map(t => t.name)).toEqual(['inbound|9090||'])
    expect(sources).toEqual(['inline'])
    expect(tables[0].port).toBe(9090)
    expect(tables[0].applicationProtocol).toBe('thrift')
    expect(tables[0].routes[0].action).toEqual({kind: 'cluster', cluster: 'inbound|9090||'})
    expect(tables[0].rateLimits).toEqual(['local rate limit: 2 tokens, +2 every 60s'])
  })

  it('the protocol form gives the codec and multiplexing', () => {
    const [l] = extractMetaProtocolListeners(dump(true))
    expect(l).toMatchObject({codec: 'aeraki.meta_protocol.codec.thrift', applicationProtocol: 'thrift', multiplexing: false, routeConfigSource: 'inline', routeConfigName: 'inbound|9090||'})
  })

  it('the tables view shows the routes and the rate limits instead of "none"', () => {
    const text = renderMetaProtocolTables(dump(true))
    expect(text).toMatch(/MetaProtocol routes\n/)
    expect(text).not.toMatch(/MetaProtocol routes: /)
    expect(text).toMatch(/inbound\|9090\|\|\s+local rate limit: 2 tokens, \+2 every 60s/)
    expect(text).toMatch(/aeraki\.meta_protocol\.codec\.thrift/)
  })

  it('dry-run predicts from the inline table', () => {
    const d = dump(true)
    const {tables} = extractMetaProtocolRouteTablesDetailed(d)
    const p = predictFromDump({tables, clusters: ['inbound|9090||'], codecs: {}, origin: 'test'}, {port: 9090, attributes: [['method', 'sayHello']]})
    expect(p.route?.index).toBe(0)
    expect(p.selectedCluster).toBe('inbound|9090||')
    expect(p.error).toBeNull()
  })
})

describe('a dump without a clusters section', () => {
  it('says the clusters are not in this dump, never MISSING or ClusterNotFound', () => {
    const d = dump(false)
    expect(hasClustersSection(d)).toBe(false)
    expect(renderMetaProtocolTables(d)).toMatch(/inbound\|9090\|\|.*not in this dump/)
    expect(renderMetaProtocolTables(d)).not.toMatch(/MISSING/)
    const {tables} = extractMetaProtocolRouteTablesDetailed(d)
    const p = predictFromDump({tables, clusters: null, codecs: {}, origin: 'test'}, {port: 9090, attributes: []})
    expect(p.error).toBeNull()
    expect(p.clusters[0].exists).toBeNull()
    expect(p.findings.map(f => f.code)).toContain('CLUSTERS_NOT_IN_DUMP')
    // With the section, a cluster absent from it is missing.
    expect(renderMetaProtocolTables(dump(true))).not.toMatch(/not in this dump/)
  })
})

describe('route verify on a server sidecar', () => {
  it('compares the inline inbound table with the one Aeraki builds (buildInboundRouteConfig)', async () => {
    const {verifyRouteTables} = await import('../../../src/lib/verify/verify.js')
    const {inboundRouteTable} = await import('../../../src/lib/routing/translate.js')
    const {tables} = extractMetaProtocolRouteTablesDetailed(dump(true))
    const ok = verifyRouteTables([{table: inboundRouteTable(9090, 'thrift'), sources: []}], tables, {complete: true})
    expect(ok.tables.map(t => [t.name, t.status])).toEqual([['inbound|9090||', 'in-sync']])
    const other = {...tables[0], routes: [{...tables[0].routes[0], action: {kind: 'cluster' as const, cluster: 'inbound|9091||'}}]}
    const bad = verifyRouteTables([{table: inboundRouteTable(9090, 'thrift'), sources: []}], [other], {complete: true})
    expect(bad.tables[0].status).toBe('different')
  })
})
