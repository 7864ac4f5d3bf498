// generateConfigDump is the inverse of the extractors: extract(generate(tables)) gives the tables back, and
// the generated dump has the structure config-dump.md describes (sections, listeners, clusters, secrets).

import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {
  appOfPodName,
  extractClusters,
  extractMetaProtocolListeners,
  extractMetaProtocolRouteTables,
  extractMetaProtocolRouteTablesDetailed,
  generateConfigDump,
  parseConfigDump,
  redactSecrets,
  type GenerateConfigDumpInput,
} from '../../../src/lib/dump/index.js'
import type {AttributeMatcher, RouteEntry, RouteTable} from '../../../src/lib/routing/types.js'
import {camelize, fixtureText, shuffled, SPLIT} from './fixtures.js'

const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const POD = {podName: 'thrift-sample-client-6f9c7d8b5-x2k4p', namespace: 'meta-thrift', podIp: '172.17.0.95'}
const SERVICE = {host: HOST, port: 9090, clusterIp: '10.98.211.57', applicationProtocol: 'thrift'}

function splitTable(): RouteTable {
  return {
    name: `${HOST}_9090`,
    host: HOST,
    port: 9090,
    applicationProtocol: 'thrift',
    routes: [
      {
        name: 'traffic-split',
        matchers: [{name: 'method', kind: 'exact', value: 'sayHello'}],
        action: {
          kind: 'weighted',
          clusters: [
            {name: `outbound|9090|v1|${HOST}`, weight: 20},
            {name: `outbound|9090|v2|${HOST}`, weight: 80},
          ],
        },
        hashPolicy: [],
        mirror: null,
        requestMutation: [],
        responseMutation: [],
      },
    ],
    versionInfo: '1717062067',
    lastUpdated: '2024-05-30T09:41:07.262Z',
  }
}

function typesOf(dump: {configs: Array<Record<string, unknown>>}): string[] {
  return dump.configs.map((c) => String(c['@type']).replace('type.googleapis.com/', ''))
}

describe('generateConfigDump', () => {
  it('emits the 7 sections of a plain client dump in tracker-key order', () => {
    const dump = generateConfigDump({...POD, tables: [splitTable()], services: [SERVICE], subsetsByHost: {[HOST]: ['v1', 'v2']}})
    expect(typesOf(dump)).toEqual([
      'envoy.admin.v3.BootstrapConfigDump',
      'envoy.admin.v3.ClustersConfigDump',
      'envoy.admin.v3.ListenersConfigDump',
      'aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump',
      'envoy.admin.v3.ScopedRoutesConfigDump',
      'envoy.admin.v3.RoutesConfigDump',
      'envoy.admin.v3.SecretsConfigDump',
    ])
    // A dump is what the emulator prints: it must survive JSON text and our own parser.
    expect(parseConfigDump(JSON.stringify(dump, null, 2)).configs).toHaveLength(7)
  })

  it('adds EcdsConfigDump before and EndpointsConfigDump after clusters when asked', () => {
    const dump = generateConfigDump({...POD, tables: [splitTable()], services: [SERVICE], includeEds: true, ecdsFilters: ['istio.stats'], endpoints: {[`outbound|9090|v1|${HOST}`]: [{ip: '172.17.0.96', port: 9090}]}})
    expect(typesOf(dump).slice(0, 5)).toEqual([
      'envoy.admin.v3.BootstrapConfigDump',
      'envoy.admin.v3.ClustersConfigDump',
      'envoy.admin.v3.EcdsConfigDump',
      'envoy.admin.v3.EndpointsConfigDump',
      'envoy.admin.v3.ListenersConfigDump',
    ])
    expect(JSON.stringify(dump.configs[3])).toContain('172.17.0.96')
    expect(extractMetaProtocolRouteTables(dump)).toEqual([splitTable()])
  })

  it('writes the MetaProtocol listener as Aeraki does: TypedStruct, snake_case value, RDS from aeraki-xds', () => {
    const dump = generateConfigDump({...POD, tables: [splitTable()], services: [SERVICE]})
    const listeners = dump.configs[2] as {dynamic_listeners: Array<{name: string; active_state: {listener: any}}>}
    const meta = listeners.dynamic_listeners.find((l) => l.name === '10.98.211.57_9090')!
    const filter = meta.active_state.listener.filter_chains[0].filters[1]
    expect(filter.name).toBe('envoy.filters.network.meta_protocol_proxy')
    expect(filter.typed_config['@type']).toBe('type.googleapis.com/udpa.type.v1.TypedStruct')
    expect(filter.typed_config.type_url).toBe('type.googleapis.com/aeraki.meta_protocol_proxy.v1alpha.MetaProtocolProxy')
    expect(filter.typed_config.value.rds.route_config_name).toBe(`${HOST}_9090`)
    expect(extractMetaProtocolListeners(dump)).toEqual([
      expect.objectContaining({name: '10.98.211.57_9090', port: 9090, applicationProtocol: 'thrift', codec: 'aeraki.meta_protocol.codec.thrift', rdsCluster: 'aeraki-xds', statPrefix: `outbound|9090||${HOST}`}),
    ])
    // The Prometheus HTTP listener on the same port is there but is not MetaProtocol.
    expect(listeners.dynamic_listeners.map((l) => l.name)).toContain('0.0.0.0_9090')
  })

  it('includes an Envoy HTTP route config `9090` that readers must not take', () => {
    const dump = generateConfigDump({...POD, tables: [splitTable()], services: [SERVICE]})
    const envoyRoutes = dump.configs.find((c) => c['@type'] === 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump') as any
    expect(envoyRoutes.dynamic_route_configs[0].route_config.name).toBe('9090')
    expect(envoyRoutes.static_route_configs).toHaveLength(2)
    expect(extractMetaProtocolRouteTables(dump).map((t) => t.name)).toEqual([`${HOST}_9090`])
  })

  it('creates an outbound cluster per service port and subset, plus every cluster a route references', () => {
    const table = splitTable()
    table.routes[0].mirror = {cluster: 'outbound|9090|canary|mirror.other.svc.cluster.local', numerator: 500_000}
    const dump = generateConfigDump({...POD, tables: [table], services: [SERVICE], subsetsByHost: {[HOST]: ['v1', 'v2', 'v3']}})
    const outbound = extractClusters(dump).filter((c) => c.host === HOST || c.host === 'mirror.other.svc.cluster.local')
    expect(outbound.map((c) => [c.name, c.type, c.lbPolicy]).sort()).toEqual(
      [`outbound|9090||${HOST}`, `outbound|9090|v1|${HOST}`, `outbound|9090|v2|${HOST}`, `outbound|9090|v3|${HOST}`, 'outbound|9090|canary|mirror.other.svc.cluster.local'].sort().map((n) => [n, 'EDS', 'LEAST_REQUEST']),
    )
    expect(extractClusters(dump).map((c) => c.name)).toEqual(expect.arrayContaining(['aeraki-xds', 'BlackHoleCluster', 'PassthroughCluster', 'outbound|9090||prometheus.istio-system.svc.cluster.local']))
  })

  it('ships the workload key already redacted, so redaction finds nothing new', () => {
    const dump = generateConfigDump({...POD, tables: [], services: [SERVICE]})
    const result = redactSecrets(dump)
    expect(result.redactedCount).toBe(0)
    expect(result.alreadyRedactedCount).toBe(1)
  })

  it('has an empty Aeraki section when a service has no table yet, and none without MetaProtocol services', () => {
    const waiting = generateConfigDump({...POD, tables: [], services: [SERVICE]})
    expect(waiting.configs[3]).toEqual({'@type': 'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump'})
    expect(extractMetaProtocolRouteTablesDetailed(waiting)).toMatchObject({tables: [], hasMetaProtocolSection: true})
    const plain = generateConfigDump({...POD, tables: [], services: []})
    expect(typesOf(plain)).not.toContain('aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump')
  })

  it('fills version and update time of tables without them, and derives the app from the pod name', () => {
    const {versionInfo: _v, lastUpdated: _l, ...bare} = splitTable()
    const dump = generateConfigDump({...POD, tables: [bare], services: [SERVICE], versionInfo: '1717070000'})
    expect(extractMetaProtocolRouteTables(dump)[0]).toEqual({...bare, versionInfo: '1717070000', lastUpdated: '2024-05-30T11:53:20.000Z'})
    expect(appOfPodName(POD.podName)).toBe('thrift-sample-client')
    expect(appOfPodName('standalone')).toBe('standalone')
    expect(JSON.stringify(dump.configs[0])).toContain('"cluster":"thrift-sample-client.meta-thrift"')
  })

  it('regenerates the split fixture tables, listener and referenced clusters from its own extraction', () => {
    const text = fixtureText(SPLIT)
    const tables = extractMetaProtocolRouteTables(text)
    const dump = generateConfigDump({...POD, tables, services: [SERVICE], subsetsByHost: {[HOST]: ['v1', 'v2']}})
    expect(extractMetaProtocolRouteTables(dump)).toEqual(tables)
    const strip = (l: object) => ({...l, versionInfo: undefined, lastUpdated: undefined})
    expect(extractMetaProtocolListeners(dump).map(strip)).toEqual(extractMetaProtocolListeners(text).map(strip))
    const outbound = (input: unknown) =>
      extractClusters(input as object)
        .filter((c) => c.direction === 'outbound')
        .map((c) => c.name)
        .sort()
    expect(outbound(dump)).toEqual(outbound(text).concat(['outbound|53||kube-dns.kube-system.svc.cluster.local']).sort())
  })
})

// ---- round trip property ----

const text = fc.string({maxLength: 12})
const name = fc.string({minLength: 1, maxLength: 12})
const matcher: fc.Arbitrary<AttributeMatcher> = fc.oneof(
  fc.record({name, kind: fc.constantFrom('exact' as const, 'prefix' as const, 'regex' as const), value: text}),
  fc.record({name, kind: fc.constant('present' as const)}),
)
const keyValue = fc.record({key: text, value: text})
const routeEntry: fc.Arbitrary<RouteEntry> = fc.record({
  name: text,
  matchers: fc.array(matcher, {maxLength: 3}),
  action: fc.oneof(
    fc.record({kind: fc.constant('cluster' as const), cluster: text}),
    fc.record({kind: fc.constant('weighted' as const), clusters: fc.array(fc.record({name: text, weight: fc.nat({max: 0xffffffff})}), {minLength: 1, maxLength: 4}) /* the proxy rejects an empty weighted_clusters (min_items: 1) */}),
  ),
  hashPolicy: fc.array(text, {maxLength: 2}),
  mirror: fc.option(fc.record({cluster: text, numerator: fc.integer({min: 0, max: 1_000_000})}), {nil: null}),
  requestMutation: fc.array(keyValue, {maxLength: 2}),
  responseMutation: fc.array(keyValue, {maxLength: 2}),
})
const hostName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}(\.[a-z0-9_-]{1,8}){0,3}$/)
const routeTable: fc.Arbitrary<RouteTable> = fc
  .record({
    host: hostName,
    port: fc.integer({min: 1, max: 65535}),
    applicationProtocol: fc.constantFrom('thrift', 'dubbo', 'videopacket', ''),
    routes: fc.array(routeEntry, {maxLength: 4}),
    versionInfo: fc.integer({min: 1_500_000_000, max: 2_000_000_000}).map(String),
    lastUpdated: fc.date({min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true}).map((d) => d.toISOString()),
  })
  .map((t) => ({name: `${t.host}_${t.port}`, ...t}))
const tables = fc.uniqueArray(routeTable, {selector: (t) => t.name, maxLength: 4})

/** Services for a random subset of the tables; the others get an Aeraki VIP from the generator. */
function inputFor(ts: RouteTable[], withService: boolean[]): GenerateConfigDumpInput {
  return {
    ...POD,
    tables: ts,
    services: ts.filter((_, i) => withService[i]).map((t, i) => ({host: t.host, port: t.port, clusterIp: `10.96.1.${i + 1}`, applicationProtocol: t.applicationProtocol})),
  }
}

describe('round trip property', () => {
  it('extract(generate(tables)) deep-equals tables, through JSON text', () => {
    fc.assert(
      fc.property(tables, fc.array(fc.boolean(), {minLength: 4, maxLength: 4}), (ts, withService) => {
        const dump = generateConfigDump(inputFor(ts, withService))
        expect(extractMetaProtocolRouteTables(JSON.stringify(dump))).toEqual(ts)
      }),
      {numRuns: 150},
    )
  })

  it('also from a camelCase copy and with shuffled sections', () => {
    fc.assert(
      fc.property(tables, fc.nat(), (ts, seed) => {
        const dump = generateConfigDump(inputFor(ts, [true, false, true, false]))
        expect(extractMetaProtocolRouteTables(camelize(dump))).toEqual(ts)
        expect(extractMetaProtocolRouteTables({configs: shuffled(dump.configs, seed)})).toEqual(ts)
      }),
      {numRuns: 60},
    )
  })

  it('one MetaProtocol listener per table, each naming its route config', () => {
    fc.assert(
      fc.property(tables, (ts) => {
        const listeners = extractMetaProtocolListeners(generateConfigDump(inputFor(ts, [false, true, true, false])))
        expect(listeners.map((l) => l.routeConfigName).sort()).toEqual(ts.map((t) => t.name).sort())
        for (const l of listeners) expect(l.port).toBe(ts.find((t) => t.name === l.routeConfigName)!.port)
      }),
      {numRuns: 60},
    )
  })
})
