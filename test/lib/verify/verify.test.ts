// The comparison behind `route verify`: what counts as the same route, and the table verdicts.
import {describe, expect, it} from 'vitest'
import type {RouteEntry, RouteTable} from '../../../src/lib/routing/types.js'
import {asLoaded} from '../../../src/lib/routing/world.js'
import {diffRoutes} from '../../../src/lib/verify/diff.js'
import {expectedTables} from '../../../src/lib/verify/expected.js'
import {sidecarTime, verifyRouteTables} from '../../../src/lib/verify/verify.js'

const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const TABLE = `${HOST}_9090`
const v1 = `outbound|9090|v1|${HOST}`
const v2 = `outbound|9090|v2|${HOST}`

function route(name: string, over: Partial<RouteEntry> = {}): RouteEntry {
  return {name, matchers: [{name: 'method', kind: 'exact', value: 'sayHello'}], action: {kind: 'cluster', cluster: v1}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: [], ...over}
}

function table(routes: RouteEntry[], over: Partial<RouteTable> = {}): RouteTable {
  return {name: TABLE, host: HOST, port: 9090, applicationProtocol: 'thrift', routes, ...over}
}

const service = asLoaded({apiVersion: 'v1', kind: 'Service', metadata: {name: 'thrift-sample-server', namespace: 'meta-thrift'}, spec: {ports: [{name: 'tcp-metaprotocol-thrift-hello-server', port: 9090}]}})
function metaRouter(routes: unknown[], metadata: Record<string, unknown> = {}) {
  return asLoaded({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'mr', namespace: 'meta-thrift', ...metadata}, spec: {hosts: [HOST], routes}})
}
const splitRoute = {name: 'traffic-split', match: {attributes: {method: {exact: 'sayHello'}}}, route: [{destination: {host: HOST, subset: 'v1'}, weight: 20}, {destination: {host: HOST, subset: 'v2'}, weight: 80}]}

describe('diffRoutes', () => {
  it('finds no difference when only matcher order or a one-entry weighted list differs', () => {
    const a = route('r', {matchers: [{name: 'method', kind: 'exact', value: 'x'}, {name: 'iface', kind: 'prefix', value: 'org.'}]})
    const b = route('r', {matchers: [{name: 'iface', kind: 'prefix', value: 'org.'}, {name: 'method', kind: 'exact', value: 'x'}], action: {kind: 'weighted', clusters: [{name: v1, weight: 100}]}})
    expect(diffRoutes([a], [b])).toEqual([])
  })

  it('lists each differing field with both values', () => {
    const expected = route('r', {action: {kind: 'weighted', clusters: [{name: v1, weight: 20}, {name: v2, weight: 80}]}, hashPolicy: ['user'], mirror: {cluster: v2, numerator: 500_000}, requestMutation: [{key: 'k', value: 'v'}]})
    const diffs = diffRoutes([expected], [route('r')])
    expect(diffs).toEqual([{kind: 'changed', route: 'r', position: 1, fields: [
      {field: 'destination', expected: `${v1} weight 20, ${v2} weight 80`, actual: v1},
      {field: 'hashPolicy', expected: 'user', actual: '-'},
      {field: 'mirror', expected: `${v2} 50%`, actual: '-'},
      {field: 'requestMutation', expected: 'k=v', actual: '-'},
    ]}])
  })

  it('pairs a renamed route by position and reports the name as a field', () => {
    expect(diffRoutes([route('new')], [route('old')])).toEqual([{kind: 'changed', route: 'new', position: 1, fields: [{field: 'name', expected: 'new', actual: 'old'}]}])
  })

  it('reports missing, extra and reordered routes', () => {
    const d = diffRoutes([route('a'), route('b'), route('c')], [route('b'), route('a'), route('c'), route('d'), route('e')])
    expect(d).toContainEqual({kind: 'moved', route: 'b', expectedPosition: 2, sidecarPosition: 1})
    expect(d).toContainEqual({kind: 'only-sidecar', route: 'd', position: 4})
    expect(d).toContainEqual({kind: 'only-sidecar', route: 'e', position: 5})
    expect(d.some((x) => x.kind === 'only-expected')).toBe(false)
    expect(diffRoutes([route('a'), route('b')], [route('a')])).toEqual([{kind: 'only-expected', route: 'b', position: 2}])
  })
})

describe('expectedTables', () => {
  it('translates like Aeraki and names the MetaRouter with its change time', () => {
    const [e] = expectedTables([service, metaRouter([splitRoute], {resourceVersion: '42', creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{time: '2026-02-01T00:00:00Z'}]})])
    expect(e.table.name).toBe(TABLE)
    expect(e.table.routes[0].action).toEqual({kind: 'weighted', clusters: [{name: v1, weight: 20}, {name: v2, weight: 80}]})
    expect(e.sources).toEqual([{name: 'MetaRouter meta-thrift/mr', resourceVersion: '42', changedAt: '2026-02-01T00:00:00Z'}])
  })

  it('uses a table the sidecar has for a MetaRouter host without a Service, and nothing else', () => {
    const known = [{host: HOST, port: 9090, applicationProtocol: 'thrift'}, {host: 'other.ns.svc.cluster.local', port: 20880, applicationProtocol: 'dubbo'}]
    expect(expectedTables([metaRouter([splitRoute])], known).map((e) => e.table.name)).toEqual([TABLE])
    expect(expectedTables([metaRouter([splitRoute])], [])).toEqual([])
  })
})

describe('verifyRouteTables', () => {
  const expectedSplit = () => expectedTables([service, metaRouter([splitRoute], {creationTimestamp: '2026-01-01T00:00:00Z'})])
  const sidecarV1 = (lastUpdated: string) => table([route('v1')], {versionInfo: String(Date.parse(lastUpdated) / 1000), lastUpdated})

  it('is in sync when the routes are the same, whatever the versions', () => {
    const actual = table([route('traffic-split', {action: {kind: 'weighted', clusters: [{name: v1, weight: 20}, {name: v2, weight: 80}]}})], {versionInfo: '1', lastUpdated: '2020-01-01T00:00:00Z'})
    const r = verifyRouteTables(expectedSplit(), [actual], {complete: true})
    expect(r.inSync).toBe(true)
    expect(r.tables.map((t) => t.status)).toEqual(['in-sync'])
  })

  it('calls a difference stale when the sidecar got its copy before the MetaRouter changed, different otherwise', () => {
    const stale = verifyRouteTables(expectedSplit(), [sidecarV1('2025-12-31T00:00:00Z')], {complete: true})
    expect(stale.tables[0].status).toBe('stale')
    expect(stale.tables[0].sidecar).toEqual({routes: 1, versionInfo: String(Date.parse('2025-12-31T00:00:00Z') / 1000), lastUpdated: '2025-12-31T00:00:00Z'})
    expect(stale.tables[0].expected?.sources[0].changedAt).toBe('2026-01-01T00:00:00Z')
    const newer = verifyRouteTables(expectedSplit(), [sidecarV1('2026-01-02T00:00:00Z')], {complete: true})
    expect(newer.tables[0].status).toBe('different')
    expect(newer.inSync).toBe(false)
  })

  it('reports missing tables, and extra ones as failures only when the objects are complete', () => {
    const extra = table([route('x')], {name: 'other.ns.svc.cluster.local_20880'})
    const partial = verifyRouteTables(expectedSplit(), [extra], {complete: false})
    expect(partial.tables.map((t) => [t.name, t.status, t.failing])).toEqual([[TABLE, 'missing', true], ['other.ns.svc.cluster.local_20880', 'extra', false]])
    expect(partial.counts).toEqual({'in-sync': 0, different: 0, stale: 0, missing: 1, extra: 1})
    const onlyExtra = verifyRouteTables([], [extra], {complete: false})
    expect(onlyExtra.inSync).toBe(true)
    expect(verifyRouteTables([], [extra], {complete: true}).inSync).toBe(false)
  })

  it('reads the sidecar time from last_updated, else from Unix-seconds version_info', () => {
    expect(sidecarTime({lastUpdated: '2024-05-30T09:26:44.851Z'})).toBe(Date.parse('2024-05-30T09:26:44.851Z'))
    expect(sidecarTime({versionInfo: '1717061204'})).toBe(1717061204000)
    expect(sidecarTime({versionInfo: '2024-05-30T09:20:40Z/26'})).toBeUndefined()
  })
})
