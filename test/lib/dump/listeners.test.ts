// MetaProtocol filter detection by config type (config-dump.md §2.1 point 4), not by filter name or port.

import {describe, expect, it} from 'vitest'
import {extractMetaProtocolListeners, extractMetaProtocolRouteTables, selectSections} from '../../../src/lib/dump/index.js'

const LISTENERS = 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump'
const MPP = 'type.googleapis.com/aeraki.meta_protocol_proxy.v1alpha.MetaProtocolProxy'

function listener(name: string, address: string, port: number, filters: unknown[], extra: Record<string, unknown> = {}) {
  return {
    '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener',
    name,
    address: {socket_address: {address, port_value: port}},
    filter_chains: [{filters, ...extra}],
  }
}

const rds = (name: string) => ({rds: {config_source: {api_config_source: {api_type: 'GRPC', grpc_services: [{envoy_grpc: {cluster_name: 'aeraki-xds'}}]}}, route_config_name: name}})

describe('MetaProtocol listener detection', () => {
  it('detects the filter by @type or TypedStruct type_url whatever its name, and ignores look-alike names', () => {
    const dump = {
      configs: [
        {
          '@type': LISTENERS,
          dynamic_listeners: [
            {
              name: 'a_1',
              active_state: {
                listener: listener('a_1', '10.0.0.1', 20880, [
                  {name: 'aeraki.meta_protocol_proxy', typed_config: {'@type': MPP, stat_prefix: 'sa', application_protocol: 'dubbo', codec: {name: 'aeraki.meta_protocol.codec.dubbo'}, ...rds('a_20880')}},
                ]),
              },
            },
            {
              name: 'b_2',
              active_state: {
                listener: listener('b_2', '10.0.0.2', 9090, [
                  {
                    name: 'whatever',
                    typedConfig: {'@type': 'type.googleapis.com/xds.type.v3.TypedStruct', typeUrl: MPP, value: {statPrefix: 'sb', codec: {name: 'aeraki.meta_protocol.codec.thrift'}, rds: {routeConfigName: 'b_9090'}}},
                  },
                ]),
              },
            },
            {
              name: 'c_3',
              active_state: {
                listener: listener('c_3', '10.0.0.3', 9090, [
                  {name: 'envoy.filters.network.meta_protocol_proxy', typed_config: {'@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', cluster: 'x'}},
                  {name: 'envoy.filters.network.meta_protocol_proxy', typed_config: {'@type': 'type.googleapis.com/udpa.type.v1.TypedStruct', type_url: 'type.googleapis.com/other.Thing', value: {}}},
                ]),
              },
            },
          ],
        },
      ],
    }
    const found = extractMetaProtocolListeners(dump)
    expect(found.map((l) => [l.name, l.applicationProtocol, l.codec, l.routeConfigName, l.statPrefix, l.rdsCluster])).toEqual([
      ['a_1', 'dubbo', 'aeraki.meta_protocol.codec.dubbo', 'a_20880', 'sa', 'aeraki-xds'],
      // No application_protocol: derived from the codec name.
      ['b_2', 'thrift', 'aeraki.meta_protocol.codec.thrift', 'b_9090', 'sb', undefined],
    ])
  })

  it('reports inbound virtualInbound chains with destination port and inline route config, and warming listeners', () => {
    const inbound = listener(
      'virtualInbound',
      '0.0.0.0',
      15006,
      [{name: 'x', typed_config: {'@type': 'type.googleapis.com/udpa.type.v1.TypedStruct', type_url: MPP, value: {stat_prefix: 'inbound|9090||', application_protocol: 'thrift', route_config: {name: 'inbound|9090||', routes: []}}}}],
      {name: 'inbound_0.0.0.0_9090', filter_chain_match: {destination_port: 9090}},
    )
    const dump = {configs: [{'@type': LISTENERS, dynamic_listeners: [{name: 'virtualInbound', warming_state: {version_info: 'v2', listener: inbound}}]}]}
    expect(extractMetaProtocolListeners(dump)).toEqual([
      {
        name: 'virtualInbound',
        address: '0.0.0.0',
        port: 15006,
        state: 'warming',
        filterChain: 'inbound_0.0.0.0_9090',
        destinationPort: 9090,
        applicationProtocol: 'thrift',
        codec: '',
        routeConfigName: 'inbound|9090||',
        routeConfigSource: 'inline',
        statPrefix: 'inbound|9090||',
        filters: [],
        versionInfo: 'v2',
      },
    ])
  })

  it('gives route tables the application protocol of the listener that references them', () => {
    const dump = {
      configs: [
        {
          '@type': LISTENERS,
          static_listeners: [{listener: listener('s', '10.0.0.9', 20880, [{name: 'm', typed_config: {'@type': MPP, applicationProtocol: 'dubbo', ...rds('svc_20880')}}])}],
        },
        {
          '@type': 'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump',
          dynamic_route_configs: [{version_info: '1', route_config: {name: 'svc_20880'}}, {version_info: '1', route_config: {name: 'other_1'}}],
        },
      ],
    }
    expect(extractMetaProtocolRouteTables(dump).map((t) => [t.name, t.applicationProtocol])).toEqual([
      ['svc_20880', 'dubbo'],
      ['other_1', ''],
    ])
  })

  it('section `metaprotocol` keeps the Aeraki routes and only the MetaProtocol listeners', () => {
    const dump = {
      configs: [
        {'@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump'},
        {
          '@type': LISTENERS,
          version_info: 'x',
          dynamic_listeners: [
            {name: 'http', active_state: {listener: listener('0.0.0.0_9090', '0.0.0.0', 9090, [{name: 'envoy.filters.network.http_connection_manager', typed_config: {'@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'}}])}},
            {name: 'meta', active_state: {listener: listener('10.1.1.1_9090', '10.1.1.1', 9090, [{name: 'm', typed_config: {'@type': MPP}}])}},
          ],
        },
        {'@type': 'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump'},
        {'@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump'},
      ],
    }
    const selected = selectSections(dump, 'metaprotocol').configs as Array<Record<string, unknown>>
    expect(selected.map((c) => c['@type'])).toEqual([LISTENERS, 'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump'])
    expect((selected[0].dynamic_listeners as Array<{name: string}>).map((l) => l.name)).toEqual(['meta'])
    expect(selected[0].version_info).toBe('x')
  })
})
