// Plain-text tables for people (config-dump.md §5.3 layout), without colour codes.

import {describe, expect, it} from 'vitest'
import {
  extractClusters,
  formatMatchers,
  renderListenersTable,
  renderMetaProtocolTables,
  renderReferencedClustersTable,
  renderRoutesTable,
  renderTextTable,
} from '../../../src/lib/dump/index.js'
import type {RouteTable} from '../../../src/lib/routing/types.js'
import {fixtureText, METHOD_V1, SPLIT} from './fixtures.js'

const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'

describe('text table layout', () => {
  it('aligns columns with two spaces, right-aligns numbers, spreads multi-line cells, trims line ends', () => {
    const out = renderTextTable([{header: 'A'}, {header: 'N', align: 'right'}, {header: 'C'}], [
      ['x', '5', 'one\ntwo'],
      ['long', '10', ''],
    ])
    expect(out).toBe(['A      N  C', 'x      5  one', '          two', 'long  10'].join('\n'))
  })
})

describe('fixture tables', () => {
  it('listeners table of §5.3', () => {
    const out = renderMetaProtocolTables(fixtureText(METHOD_V1))
    expect(out).toContain(
      [
        'MetaProtocol listeners',
        'LISTENER           ADDRESS       PORT  PROTOCOL  CODEC                              ROUTE CONFIG (RDS)                                       RDS CLUSTER',
        `10.98.211.57_9090  10.98.211.57  9090  thrift    aeraki.meta_protocol.codec.thrift  ${HOST}_9090  aeraki-xds`,
      ].join('\n'),
    )
    expect(out).not.toContain('0.0.0.0_9090')
    expect(out).not.toMatch(/\u001b\[/)
  })

  it('routes table of fixture (a): v1, method=sayHello, one destination, version and update time', () => {
    const lines = renderMetaProtocolTables(fixtureText(METHOD_V1)).split('\n')
    const row = lines.find((l) => l.includes(' v1 '))!
    expect(row.split(/\s{2,}/)).toEqual([`${HOST}_9090`, 'v1', 'method=sayHello', `outbound|9090|v1|${HOST}`, '-', '-', '1717061204', '2024-05-30T09:26:44.851Z'])
  })

  it('routes table of fixture (b): 20% and 80% on two lines of the same row', () => {
    const out = renderMetaProtocolTables(fixtureText(SPLIT))
    const lines = out.split('\n')
    const first = lines.findIndex((l) => l.includes('traffic-split'))
    expect(lines[first]).toContain(`outbound|9090|v1|${HOST} 20%`)
    expect(lines[first]).toContain('1717062067')
    expect(lines[first + 1].trim()).toBe(`outbound|9090|v2|${HOST} 80%`)
    // The continuation line starts under the DESTINATION column.
    expect(lines[first + 1].indexOf('outbound')).toBe(lines[first].indexOf('outbound'))
  })

  it('referenced clusters with the subsets the sidecar has', () => {
    const text = fixtureText(SPLIT)
    const out = renderMetaProtocolTables(text)
    expect(out).toContain('Clusters referenced by MetaProtocol routes')
    const row = out.split('\n').find((l) => l.startsWith(`outbound|9090|v2|${HOST}`))!
    expect(row.split(/\s{2,}/)).toEqual([`outbound|9090|v2|${HOST}`, HOST, '9090', 'v2', 'v1,v2', 'EDS', 'LEAST_REQUEST', 'active'])
  })
})

describe('route cell formats and empty states', () => {
  const table: RouteTable = {
    name: 'svc_20880',
    host: 'svc',
    port: 20880,
    applicationProtocol: 'dubbo',
    routes: [
      {
        name: 'r',
        matchers: [
          {name: 'method', kind: 'prefix', value: 'say'},
          {name: 'v', kind: 'regex', value: '1|2'},
          {name: 'foo', kind: 'present'},
        ],
        action: {kind: 'weighted', clusters: [{name: 'outbound|20880|a|svc', weight: 1}, {name: 'outbound|20880|b|svc', weight: 2}]},
        hashPolicy: ['method'],
        mirror: {cluster: 'outbound|20880|m|svc', numerator: 5_000},
        requestMutation: [{key: 'foo', value: 'bar'}],
        responseMutation: [{key: 'x', value: 'y'}],
      },
      {name: 'default', matchers: [], action: {kind: 'cluster', cluster: 'outbound|20880||svc'}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []},
    ],
  }

  it('formats matchers, weights as shares of their sum, mirror percent and mutations', () => {
    expect(formatMatchers(table.routes[0].matchers)).toBe('method^=say && v~=1|2 && foo?')
    expect(formatMatchers([])).toBe('*')
    const out = renderRoutesTable([table])
    expect(out).toContain('outbound|20880|a|svc 33.33%')
    expect(out).toContain('outbound|20880|b|svc 66.67%')
    expect(out).toContain('outbound|20880|m|svc 0.5%')
    expect(out).toContain('req foo=bar')
    expect(out).toContain('resp x=y')
    const defaultRow = out.split('\n').find((l) => l.includes('default'))!
    expect(defaultRow.split(/\s{2,}/).slice(1, 6)).toEqual(['default', '*', 'outbound|20880||svc', '-', '-'])
  })

  it('flags referenced clusters missing from the sidecar', () => {
    const out = renderReferencedClustersTable([table], [])
    expect(out.split('\n').filter((l) => l.trimEnd().endsWith('MISSING'))).toHaveLength(4)
  })

  it('says when no routes were received yet, and when there is no Aeraki section', () => {
    const listeners = renderListenersTable([])
    expect(listeners.split('\n')).toHaveLength(1)
    expect(renderMetaProtocolTables({configs: [{'@type': 'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump'}]})).toContain('no MetaProtocol routes received yet')
    expect(renderMetaProtocolTables({configs: []})).toContain('the dump has no Aeraki MetaProtocol routes section')
  })

  it('prints extraction warnings after the tables', () => {
    const out = renderMetaProtocolTables({listeners: [], tables: [table], clusters: extractClusters({configs: []}), warnings: [{table: 't', route: 'r', message: 'boom'}]})
    expect(out.trimEnd().endsWith('warning: t/r: boom')).toBe(true)
  })
})

describe('caller colouring', () => {
  it('applies decorate per cell line and keeps columns aligned despite ANSI codes', () => {
    const red = (s: string) => `\u001b[31m${s}\u001b[39m`
    const plain = renderTextTable([{header: 'NAME'}, {header: 'STATUS'}, {header: 'X'}], [
      ['a', 'MISSING', '1'],
      ['bbbbbb', 'ok', '2'],
    ])
    const coloured = renderTextTable(
      [{header: 'NAME'}, {header: 'STATUS'}, {header: 'X'}],
      [
        ['a', 'MISSING', '1'],
        ['bbbbbb', 'ok', '2'],
      ],
      {decorate: (text, cell) => (cell.column === 'STATUS' && text === 'MISSING' ? red(text) : text)},
    )
    expect(coloured).toContain(red('MISSING'))
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain)
  })
})
