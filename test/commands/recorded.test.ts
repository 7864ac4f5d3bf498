// sidecar-config, route dry-run --config-dump and route verify on route tables and listener filters recorded from
// real Aeraki sidecars (test/fixtures/recorded, sources in its README), next to the MetaRouters that produced them.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {summarizeMetaProtocolProxy, metaProtocolProxyConfig} from '../../src/lib/dump/metaprotocol-filter.js'
import {runCli} from '../support/cli.js'
import {THRIFT_DEMO, TEMPLATES_DEMO} from '../support/demo.js'
import {RECORDED} from '../support/fixtures.js'

const rec = (f: string) => join(RECORDED, f)
const T = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const D = 'org.apache.dubbo.samples.basic.api.demoservice'
const DUBBO_OBJECTS = ['-f', join(TEMPLATES_DEMO, 'dubbo/15-serviceentry.yaml'), '-f', join(TEMPLATES_DEMO, 'dubbo/20-destinationrule.yaml')]

describe('sidecar-config --file on recorded route tables', () => {
  it('lists the Thrift 20/80 split as the sidecar printed it', async () => {
    const r = await runCli(['sidecar-config', '--file', rec('aeraki-thrift-traffic-split.routes.json'), '-o', 'table'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^${T.replace(/\./g, '\\.')}_9090\\s+traffic-split\\s+method=sayHello\\s+outbound\\|9090\\|v1\\|\\S+ 20%`, 'm'))
    expect(r.stdout).toMatch(/outbound\|9090\|v2\|\S+ 80%/)
    expect(r.stdout).toMatch(/1641896797\s+2022-01-11T10:26:37\.357Z/)
  })

  it('shows every attribute of the Dubbo match and the mirror policy', async () => {
    const split = await runCli(['sidecar-config', '--file', rec('aeraki-dubbo-traffic-split.routes.json'), '-o', 'table'])
    expect(split.code, split.stderr).toBe(0)
    expect(split.stdout).toMatch(/traffic-split\s+interface=org\.apache\.dubbo\.samples\.basic\.api\.DemoService/)
    expect(split.stdout).toMatch(/method=sayHello/)
    expect(split.stdout).toMatch(/foo=bar/)
    const mirror = await runCli(['sidecar-config', '--file', rec('aeraki-dubbo-traffic-mirroring.routes.json'), '-o', 'table'])
    expect(mirror.code, mirror.stderr).toBe(0)
    expect(mirror.stdout).toMatch(new RegExp(`traffic-mirroring\\s+\\*?\\s*outbound\\|20880\\|v1\\|${D.replace(/\./g, '\\.')}\\s+outbound\\|20880\\|v2\\|${D.replace(/\./g, '\\.')} 100%`))
  })

  it('-o json gives back the recorded section unchanged', async () => {
    const file = rec('aeraki-dubbo-traffic-split.routes.json')
    const r = await runCli(['sidecar-config', '--file', file, '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(file, 'utf8')))
  })
})

describe('the recorded MetaProtocol listener filters (TypedStruct form)', () => {
  for (const [file, expected] of [
    ['aeraki-thrift-traffic-split.listener-filter.json', {applicationProtocol: 'thrift', codec: 'aeraki.meta_protocol.codec.thrift', routeConfigName: `${T}_9090`, statPrefix: `outbound|9090||${T}`}],
    ['aeraki-dubbo-traffic-split.listener-filter.json', {applicationProtocol: 'dubbo', codec: 'aeraki.meta_protocol.codec.dubbo', routeConfigName: `${D}_20880`, statPrefix: `outbound|20880||${D}`}],
  ] as const) {
    it(file, () => {
      const config = metaProtocolProxyConfig(JSON.parse(readFileSync(rec(file), 'utf8')))
      expect(config).toBeDefined()
      expect(summarizeMetaProtocolProxy(config!)).toMatchObject({...expected, routeConfigSource: 'rds', rdsCluster: 'aeraki-xds', filters: ['aeraki.meta_protocol.filters.router']})
    })
  }
})

describe('route dry-run --config-dump on recorded route tables', () => {
  it('walks the Thrift table: sayHello takes the 20/80 split, another method finds no route', async () => {
    const hit = JSON.parse((await runCli(['route', 'dry-run', '--config-dump', rec('aeraki-thrift-traffic-split.routes.json'), '--attr', 'method=sayHello', '-o', 'json'])).stdout)
    expect(hit.routeConfig).toBe(`${T}_9090`)
    expect(hit.route).toEqual({index: 0, name: 'traffic-split'})
    expect(hit.clusters.map((c: any) => [c.name, c.weight, c.share])).toEqual([[`outbound|9090|v1|${T}`, 20, 0.2], [`outbound|9090|v2|${T}`, 80, 0.8]])
    const miss = JSON.parse((await runCli(['route', 'dry-run', '--config-dump', rec('aeraki-thrift-traffic-split.routes.json'), '--attr', 'method=other', '-o', 'json'])).stdout)
    expect(miss.route).toBeNull()
    expect(miss.error).toBe('RouteNotFound')
  })

  it('the text names what a route-only dump cannot tell (no clusters, no protocol) and prints no empty "()"', async () => {
    const r = await runCli(['route', 'dry-run', '--config-dump', rec('aeraki-dubbo-traffic-mirroring.routes.json')])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Service +org\.apache\.dubbo\.samples\.basic\.api\.demoservice:20880$/m)
    expect(r.stdout).toMatch(/^Mirror +outbound\|20880\|v2\|org\.apache\.dubbo\.samples\.basic\.api\.demoservice for 100\.0% of requests/m)
    expect(r.stdout).toContain('CLUSTERS_NOT_IN_DUMP')
  })

  it('needs all three Dubbo attributes (AND) for the split', async () => {
    const args = ['route', 'dry-run', '--config-dump', rec('aeraki-dubbo-traffic-split.routes.json'), '-o', 'json']
    const all = JSON.parse((await runCli([...args, '--attr', 'interface=org.apache.dubbo.samples.basic.api.DemoService', '--attr', 'method=sayHello', '--attr', 'foo=bar'])).stdout)
    expect(all.route).toEqual({index: 0, name: 'traffic-split'})
    expect(all.clusters.map((c: any) => c.weight)).toEqual([20, 80])
    const noFoo = JSON.parse((await runCli([...args, '--attr', 'interface=org.apache.dubbo.samples.basic.api.DemoService', '--attr', 'method=sayHello'])).stdout)
    expect(noFoo.error).toBe('RouteNotFound')
  })

  it('reads the mirror policy: every request to v1, mirrored 100% (1000000 per million) to v2', async () => {
    const r = JSON.parse((await runCli(['route', 'dry-run', '--config-dump', rec('aeraki-dubbo-traffic-mirroring.routes.json'), '--attr', 'method=anything', '-o', 'json'])).stdout)
    expect(r.route).toEqual({index: 0, name: 'traffic-mirroring'})
    expect(r.clusters.map((c: any) => c.name)).toEqual([`outbound|20880|v1|${D}`])
    expect(r.routeTable.routes[0]).toMatchObject({action: {kind: 'cluster', cluster: `outbound|20880|v1|${D}`}, mirror: {cluster: `outbound|20880|v2|${D}`, numerator: 1000000}})
  })
})

describe('route verify --file on recorded route tables against the MetaRouters that produced them', () => {
  it('the Thrift tutorial\'s traffic-split MetaRouter is in sync with the recorded table', async () => {
    const r = await runCli(['route', 'verify', '--file', rec('aeraki-thrift-traffic-split.routes.json'), '-f', join(THRIFT_DEMO, 'traffic-split.yaml'), '-f', join(THRIFT_DEMO, 'destinationrule.yaml'), '-f', join(THRIFT_DEMO, 'thrift-sample.yaml')])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/✔ thrift-sample-server\S+_9090 {2}in sync \(version 1641896797, updated 2022-01-11T10:26:37\.357Z; 1 route\(s\)\)/)
  })

  for (const kind of ['traffic-split', 'traffic-mirroring']) {
    it(`the Dubbo ${kind} MetaRouter is in sync with its recorded table (the dump holds only that table)`, async () => {
      const r = await runCli(['route', 'verify', '--file', rec(`aeraki-dubbo-${kind}.routes.json`), '-f', rec(`aeraki-dubbo-${kind}.metarouter.yaml`), ...DUBBO_OBJECTS, '-o', 'json'])
      const doc = JSON.parse(r.stdout)
      const status = Object.fromEntries(doc.tables.map((t: any) => [t.name, t.status]))
      expect(status[`${D}_20880`]).toBe('in-sync')
      // The demo's second service has a table the recorded excerpt does not carry.
      expect(status['org.apache.dubbo.samples.basic.api.secondservice_20880']).toBe('missing')
    })
  }

  it('a recorded table compared with the other tutorial\'s MetaRouter differs in name, match, destination and mirror', async () => {
    const r = await runCli(['route', 'verify', '--file', rec('aeraki-dubbo-traffic-mirroring.routes.json'), '-f', rec('aeraki-dubbo-traffic-split.metarouter.yaml'), ...DUBBO_OBJECTS, '-o', 'json'])
    expect(r.code).toBe(3) // not in sync
    const table = JSON.parse(r.stdout).tables.find((t: any) => t.name === `${D}_20880`)
    expect(table.status).toBe('different')
    expect(table.differences[0].fields.map((f: any) => f.field)).toEqual(['name', 'matchers', 'destination', 'mirror'])
  })
})

describe('real Istio sidecar dumps (istio/istio istioctl testdata)', () => {
  const SIDECAR = rec('istio-sidecar.config_dump.json')
  it('sidecar-config lists every section of a plain Istio sidecar and says it has no MetaProtocol proxy', async () => {
    const r = await runCli(['sidecar-config', '--file', SIDECAR, '-o', 'table'])
    expect(r.code, r.stderr).toBe(0)
    const sections = r.stdout.split('\n').slice(2, 9).map((l) => l.split(/\s+/).slice(1, 3).join(' '))
    expect(sections).toEqual(['bootstrap envoy.admin.v3.BootstrapConfigDump', 'clusters envoy.admin.v3.ClustersConfigDump', 'endpoints envoy.admin.v3.EndpointsConfigDump',
      'listeners envoy.admin.v3.ListenersConfigDump', 'scopedRoutes envoy.admin.v3.ScopedRoutesConfigDump', 'routes envoy.admin.v3.RoutesConfigDump', 'secrets envoy.admin.v3.SecretsConfigDump'])
    expect(r.stdout).toContain('MetaProtocol listeners: none (no listener carries the MetaProtocol Proxy filter)')
    expect(r.stdout).toContain('MetaProtocol routes: none (the dump has no Aeraki MetaProtocol routes section)')
  })

  it('keeps a secret Envoy already redacted as it is, and changes nothing else', async () => {
    const file = rec('istio-secrets.config_dump.json')
    const r = await runCli(['sidecar-config', '--file', file, '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toEqual(JSON.parse(readFileSync(file, 'utf8')))
    expect(Buffer.from(out.configs[0].dynamic_active_secrets[0].secret.tls_certificate.private_key.inline_bytes, 'base64').toString()).toBe('[redacted]')
  })

  it('route dry-run and route verify say the sidecar has no MetaProtocol routes', async () => {
    const dry = await runCli(['route', 'dry-run', '--config-dump', SIDECAR])
    expect(dry.code).toBe(2)
    expect(dry.stderr).toMatch(/^Error: the config dump has no MetaProtocol route tables/)
    const verify = await runCli(['route', 'verify', '--file', SIDECAR, '-f', join(THRIFT_DEMO, 'thrift-sample.yaml'), '-f', join(THRIFT_DEMO, 'metarouter-v1.yaml')])
    expect(verify.code).toBe(3) // not in sync
    expect(verify.stdout).toContain('The dump has no Aeraki MetaProtocol routes section: the sidecar does not run the MetaProtocol proxy')
    expect(verify.stdout).toMatch(/✘ thrift-sample-server\S+_9090 {2}missing/)
  })
})
