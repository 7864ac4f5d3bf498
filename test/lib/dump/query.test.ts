// Envoy's /config_dump query parameters (config-dump.md §1.5) on a generated dump.

import {describe, expect, it} from 'vitest'
import {applyConfigDumpQuery, extractMetaProtocolRouteTables, generateConfigDump} from '../../../src/lib/dump/index.js'
import type {RouteTable} from '../../../src/lib/routing/types.js'

const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const table: RouteTable = {
  name: `${HOST}_9090`,
  host: HOST,
  port: 9090,
  applicationProtocol: 'thrift',
  routes: [{name: 'v1', matchers: [], action: {kind: 'cluster', cluster: `outbound|9090|v1|${HOST}`}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []}],
  versionInfo: '1717061204',
  lastUpdated: '2024-05-30T09:26:44.851Z',
}
const dump = generateConfigDump({
  tables: [table],
  podName: 'thrift-sample-client-6f9c7d8b5-x2k4p',
  namespace: 'meta-thrift',
  podIp: '172.17.0.95',
  services: [{host: HOST, port: 9090, clusterIp: '10.98.211.57', applicationProtocol: 'thrift'}],
  subsetsByHost: {[HOST]: ['v1', 'v2']},
  includeEds: true,
})

function ok(query: string) {
  const result = applyConfigDumpQuery(dump, query)
  if (result.status !== 200) throw new Error(`${query}: ${result.status} ${result.body}`)
  return result.body.configs as Array<Record<string, any>>
}
const types = (configs: Array<Record<string, any>>) => configs.map((c) => String(c['@type']).replace('type.googleapis.com/', ''))

describe('applyConfigDumpQuery', () => {
  it('drops the endpoints section unless include_eds is given', () => {
    expect(types(ok(''))).not.toContain('envoy.admin.v3.EndpointsConfigDump')
    expect(types(ok('config_dump?include_eds=true'))).toContain('envoy.admin.v3.EndpointsConfigDump')
    expect(types(ok('include_eds'))).toContain('envoy.admin.v3.EndpointsConfigDump')
  })

  it('?mask=dynamic_route_configs,static_route_configs returns the Aeraki section before Envoy routes, trimmed', () => {
    const configs = ok('mask=dynamic_route_configs,static_route_configs')
    // ScopedRoutesConfigDump has no such fields, so Envoy drops it.
    expect(types(configs)).toEqual(['aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump', 'envoy.admin.v3.RoutesConfigDump'])
    expect(Object.keys(configs[1]).sort()).toEqual(['@type', 'dynamic_route_configs', 'static_route_configs'])
    expect(extractMetaProtocolRouteTables({configs})).toEqual([{...table, applicationProtocol: ''}])
  })

  it('?resource=dynamic_route_configs returns only the Aeraki entries, each packed as DynamicRouteConfig', () => {
    const configs = ok('resource=dynamic_route_configs')
    expect(types(configs)).toEqual(['aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump.DynamicRouteConfig'])
    expect(extractMetaProtocolRouteTables({configs})).toEqual([{...table, applicationProtocol: ''}])
  })

  it('?resource with mask and name_regex narrows elements', () => {
    const names = ok(`resource=dynamic_active_clusters&mask=cluster.name&name_regex=outbound\\|9090\\|v.*`)
    expect(names).toEqual([
      {'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.DynamicCluster', cluster: {'@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: `outbound|9090|v1|${HOST}`}},
      {'@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.DynamicCluster', cluster: {'@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name: `outbound|9090|v2|${HOST}`}},
    ])
    const listeners = ok('mask=dynamic_listeners&name_regex=10\\..*')
    expect(listeners[0].dynamic_listeners.map((l: {name: string}) => l.name)).toEqual(['10.96.0.10_53', '10.98.211.57_9090'])
  })

  it("answers Envoy's errors: non-repeated resource 400, unknown resource 404, mask matching nothing 400, bad regex 400", () => {
    expect(applyConfigDumpQuery(dump, 'resource=version_info')).toEqual({status: 400, body: 'version_info is not a repeated field. Use ?mask=version_info to get only this field'})
    expect(applyConfigDumpQuery(dump, 'resource=nope')).toEqual({status: 404, body: 'nope not found in config dump'})
    expect(applyConfigDumpQuery(dump, 'mask=nope')).toMatchObject({status: 400, body: expect.stringContaining('could not be successfully applied to any configs')})
    expect(applyConfigDumpQuery(dump, 'name_regex=(')).toMatchObject({status: 400})
  })
})
