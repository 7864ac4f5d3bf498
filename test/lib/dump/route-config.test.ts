// Conversion of dumped MetaProtocol RouteConfigurations, using the shapes of the Aeraki website excerpts
// (config-dump.md §3.3) and the matcher / fraction forms of §3.1 and §1.7.

import {describe, expect, it} from 'vitest'
import {convertHeaderMatcher, extractMetaProtocolRouteTablesDetailed} from '../../../src/lib/dump/index.js'

const AERAKI_DUMP = 'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump'
const ROUTE_CONFIG = 'type.googleapis.com/aeraki.meta_protocol_proxy.config.route.v1alpha.RouteConfiguration'

function dumpWithRoutes(routes: unknown[], name = 'org.apache.dubbo.samples.basic.api.demoservice_20880') {
  return {
    configs: [
      {
        '@type': AERAKI_DUMP,
        dynamic_route_configs: [{version_info: '1641896797', route_config: {'@type': ROUTE_CONFIG, name, routes}, last_updated: '2022-01-11T10:26:37.357Z'}],
      },
    ],
  }
}

function onlyRoute(routes: unknown[]) {
  const result = extractMetaProtocolRouteTablesDetailed(dumpWithRoutes(routes))
  return {route: result.tables[0].routes[0], warnings: result.warnings, table: result.tables[0]}
}

describe('route configuration conversion', () => {
  it('reads hash_policy on a route without match (consistent-hash-lb.md)', () => {
    const {route, table} = onlyRoute([{name: 'default', route: {cluster: 'outbound|20880||org.apache.dubbo.samples.basic.api.demoservice', hash_policy: ['method']}}])
    expect(route).toEqual({
      name: 'default',
      matchers: [],
      action: {kind: 'cluster', cluster: 'outbound|20880||org.apache.dubbo.samples.basic.api.demoservice'},
      hashPolicy: ['method'],
      mirror: null,
      requestMutation: [],
      responseMutation: [],
    })
    expect(table).toMatchObject({host: 'org.apache.dubbo.samples.basic.api.demoservice', port: 20880, versionInfo: '1641896797', lastUpdated: '2022-01-11T10:26:37.357Z'})
  })

  it('reads request and response mutations (header-mutation.md)', () => {
    const {route} = onlyRoute([
      {
        route: {cluster: 'c'},
        request_mutation: [
          {key: 'foo', value: 'bar'},
          {key: 'foo1', value: 'bar1'},
        ],
        response_mutation: [{key: 'x', value: ''}],
      },
    ])
    expect(route.requestMutation).toEqual([
      {key: 'foo', value: 'bar'},
      {key: 'foo1', value: 'bar1'},
    ])
    expect(route.responseMutation).toEqual([{key: 'x', value: ''}])
  })

  it('normalises mirror fractions to a numerator over 1,000,000', () => {
    const fraction = (default_value: unknown) => onlyRoute([{route: {cluster: 'c', request_mirror_policies: [{cluster: 'm', runtime_fraction: {default_value}}]}}]).route.mirror
    expect(fraction({numerator: 1000000, denominator: 'MILLION'})).toEqual({cluster: 'm', numerator: 1_000_000})
    expect(fraction({numerator: 25, denominator: 'TEN_THOUSAND'})).toEqual({cluster: 'm', numerator: 2_500})
    expect(fraction({numerator: 50, denominator: 'HUNDRED'})).toEqual({cluster: 'm', numerator: 500_000})
    // HUNDRED is the proto3 default and is omitted when printed (§1.7).
    expect(fraction({numerator: 50})).toEqual({cluster: 'm', numerator: 500_000})
    // numerator 0 is omitted too.
    expect(fraction({denominator: 'MILLION'})).toEqual({cluster: 'm', numerator: 0})
    expect(fraction({numerator: '333333', denominator: 'MILLION'})).toEqual({cluster: 'm', numerator: 333_333})
  })

  it('warns about a mirror without runtime_fraction and about extra mirror policies', () => {
    const {route, warnings} = onlyRoute([{name: 'r', route: {cluster: 'c', request_mirror_policies: [{cluster: 'm1'}, {cluster: 'm2'}]}}])
    expect(route.mirror).toEqual({cluster: 'm1', numerator: 0})
    expect(warnings.map((w) => w.message)).toEqual(['2 mirror policies; only the first is modelled', 'mirror to "m1" has no runtime_fraction; the proxy then never mirrors'])
  })

  it('reads weighted clusters, a missing weight meaning 0 (§1.7)', () => {
    const {route} = onlyRoute([{route: {weighted_clusters: {clusters: [{name: 'a', weight: 3}, {name: 'b'}, {name: 'c', weight: {value: 7}}], total_weight: 10}}}])
    expect(route.action).toEqual({
      kind: 'weighted',
      clusters: [
        {name: 'a', weight: 3},
        {name: 'b', weight: 0},
        {name: 'c', weight: 7},
      ],
    })
  })

  it('converts the matcher kinds Aeraki emits', () => {
    const {route, warnings} = onlyRoute([
      {
        match: {
          metadata: [
            {name: 'method', exact_match: 'sayHello'},
            {name: 'empty', exact_match: ''},
            {name: 'svc', prefix_match: 'org.'},
            {name: 'v', safe_regex_match: {google_re2: {}, regex: '1|2'}},
            {name: 'foo', present_match: true},
          ],
        },
        route: {cluster: 'c'},
      },
    ])
    expect(route.matchers).toEqual([
      {name: 'method', kind: 'exact', value: 'sayHello'},
      {name: 'empty', kind: 'exact', value: ''},
      {name: 'svc', kind: 'prefix', value: 'org.'},
      {name: 'v', kind: 'regex', value: '1|2'},
      {name: 'foo', kind: 'present'},
    ])
    expect(warnings).toEqual([])
  })

  it('converts the newer string_match forms into equivalent matchers', () => {
    const m = (sm: unknown) => convertHeaderMatcher({name: 'k', string_match: sm})
    expect(m({exact: 'a.b'})).toEqual({matcher: {name: 'k', kind: 'exact', value: 'a.b'}})
    expect(m({prefix: 'say'})).toEqual({matcher: {name: 'k', kind: 'prefix', value: 'say'}})
    expect(m({suffix: '.v1'})).toEqual({matcher: {name: 'k', kind: 'regex', value: '(?s).*\\.v1'}})
    expect(m({contains: 'a+b'})).toEqual({matcher: {name: 'k', kind: 'regex', value: '(?s).*a\\+b.*'}})
    expect(m({safe_regex: {google_re2: {}, regex: 'x.*'}})).toEqual({matcher: {name: 'k', kind: 'regex', value: 'x.*'}})
    expect(m({exact: 'Hi', ignore_case: true})).toEqual({matcher: {name: 'k', kind: 'regex', value: '(?is)Hi'}})
    expect(m({safeRegex: {regex: 'y'}})).toEqual({matcher: {name: 'k', kind: 'regex', value: 'y'}})
  })

  it('converts suffix/contains matchers and reports what cannot be represented', () => {
    expect(convertHeaderMatcher({name: 'k', suffix_match: '(x)'}).matcher).toEqual({name: 'k', kind: 'regex', value: '(?s).*\\(x\\)'})
    expect(convertHeaderMatcher({name: 'k', contains_match: 'ab'}).matcher).toEqual({name: 'k', kind: 'regex', value: '(?s).*ab.*'})
    expect(convertHeaderMatcher({name: 'k', exact_match: 'a', invert_match: true})).toEqual({
      matcher: {name: 'k', kind: 'exact', value: 'a'},
      warning: 'invert_match on "k" cannot be represented; shown without the inversion',
    })
    expect(convertHeaderMatcher({name: 'k', range_match: {start: '1', end: '5'}}).warning).toContain('range_match [1, 5)')
    expect(convertHeaderMatcher({name: 'k', present_match: false}).warning).toContain('present_match: false')
    // No specifier: Envoy checks presence.
    expect(convertHeaderMatcher({name: 'k'})).toEqual({matcher: {name: 'k', kind: 'present'}})
  })

  it('warns about a route without destination and skips non-MetaProtocol route configs in the section', () => {
    const dump = dumpWithRoutes([{name: 'r'}])
    const section = dump.configs[0] as {dynamic_route_configs: unknown[]}
    section.dynamic_route_configs.push({version_info: '1', route_config: {'@type': 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration', name: '9090'}})
    const result = extractMetaProtocolRouteTablesDetailed(dump)
    expect(result.tables).toHaveLength(1)
    expect(result.tables[0].routes[0].action).toEqual({kind: 'weighted', clusters: []})
    expect(result.warnings.map((w) => w.message)).toEqual([
      'route has neither "cluster" nor "weighted_clusters"; shown with no destination',
      'skipped a route config of type envoy.config.route.v3.RouteConfiguration in the MetaProtocol section',
    ])
  })

  it('reads static route configs (inbound inline `inbound|9090||`) before dynamic ones, without version', () => {
    const dump = dumpWithRoutes([{name: 'd', route: {cluster: 'x'}}])
    ;(dump.configs[0] as Record<string, unknown>).static_route_configs = [
      {route_config: {'@type': ROUTE_CONFIG, name: 'inbound|9090||', routes: [{route: {cluster: 'inbound|9090||'}}]}, last_updated: '2024-05-30T09:19:52.113Z'},
    ]
    const result = extractMetaProtocolRouteTablesDetailed(dump)
    expect(result.sources).toEqual(['static', 'dynamic'])
    expect(result.tables[0]).toEqual({
      name: 'inbound|9090||',
      host: '',
      port: 9090,
      applicationProtocol: '',
      routes: [{name: '', matchers: [], action: {kind: 'cluster', cluster: 'inbound|9090||'}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []}],
      lastUpdated: '2024-05-30T09:19:52.113Z',
    })
  })

  it('weights are uint32 as the proxy parses them (number, decimal string, {value}); anything else is bad input naming the path (issue 12 §5)', () => {
    const weights = (...ws: unknown[]) => onlyRoute([{name: 'split', route: {weighted_clusters: {clusters: ws.map((w, i) => ({name: `c${i}`, ...(w === undefined ? {} : {weight: w})}))}}}]).route.action
    expect(weights(20, '80', {value: 4294967295}, undefined)).toEqual({kind: 'weighted', clusters: [{name: 'c0', weight: 20}, {name: 'c1', weight: 80}, {name: 'c2', weight: 4294967295}, {name: 'c3', weight: 0}]})
    const where = 'route table org.apache.dubbo.samples.basic.api.demoservice_20880, route "split" (routes[0]).route.weighted_clusters.clusters[1].weight: '
    const bad = (w: unknown) => () => weights(10, w)
    expect(bad(-5)).toThrow(`${where}-5 is not an unsigned 32-bit integer (0 to 4294967295); the proxy rejects this route configuration`)
    expect(bad('abc')).toThrow(`${where}"abc" is not an unsigned 32-bit integer`)
    expect(bad(4294967296)).toThrow(`${where}4294967296 is not an unsigned 32-bit integer`)
    expect(bad('18446744073709551615')).toThrow(`${where}"18446744073709551615" is not an unsigned 32-bit integer`)
    expect(bad(2.5)).toThrow(`${where}2.5 is not an unsigned 32-bit integer`)
    expect(bad(true)).toThrow(`${where}true is not an unsigned 32-bit integer`)
    expect(() => onlyRoute([{name: 'split', route: {weighted_clusters: {clusters: []}}}])).toThrow(
      'route table org.apache.dubbo.samples.basic.api.demoservice_20880, route "split" (routes[0]).route.weighted_clusters.clusters: is empty; the proxy rejects a weighted_clusters without clusters (min_items: 1)')
  })

  it('splits table names at the last underscore', () => {
    const result = extractMetaProtocolRouteTablesDetailed(dumpWithRoutes([], 'my_svc.ns_x.svc.cluster.local_20880'))
    expect(result.tables[0]).toMatchObject({host: 'my_svc.ns_x.svc.cluster.local', port: 20880, routes: []})
  })

  it('reports an empty Aeraki section (RDS not answered yet) as present but without tables', () => {
    const result = extractMetaProtocolRouteTablesDetailed({configs: [{'@type': AERAKI_DUMP}]})
    expect(result).toEqual({tables: [], sources: [], warnings: [], hasMetaProtocolSection: true})
  })
})
