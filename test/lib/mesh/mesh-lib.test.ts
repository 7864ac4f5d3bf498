// The pure parts of the mesh toolkit: Envoy stats (RE2 --match, MetaProtocol first, deltas, observed split),
// logger levels, istiod debug rows and the sync state rule.
import {describe, expect, it} from 'vitest'
import {configuredSplits, deltas, observedSplits, orderStats, parsePrometheus, statMatcher, statsReport} from '../../../src/lib/mesh/envoy-stats.js'
import {loggingPaths, parseLogging} from '../../../src/lib/mesh/log-level.js'
import {adsRows, debugPath, registryRows, xdsStatus} from '../../../src/lib/mesh/istiod.js'
import {isMutatingAdminPath} from '../../../src/lib/mesh/admin-paths.js'
import {redactAdminAnswer} from '../../../src/lib/mesh/redact-text.js'

const PROM = `# TYPE envoy_cluster_upstream_rq_total counter
envoy_cluster_upstream_rq_total{cluster_name="outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local"} 20
envoy_cluster_upstream_rq_total{cluster_name="outbound|9090|v2|thrift-sample-server.meta-thrift.svc.cluster.local"} 80
envoy_cluster_upstream_rq_total{cluster_name="outbound|9090||thrift-sample-server.meta-thrift.svc.cluster.local"} 0
# TYPE envoy_server_live gauge
envoy_server_live{} 1
# TYPE envoy_meta_protocol_request counter
envoy_meta_protocol_request{route="v1"} 100
`

describe('envoy stats', () => {
  it('parses Prometheus text with types and labels', () => {
    const s = parsePrometheus(PROM)
    expect(s).toHaveLength(5)
    expect(s[0]).toMatchObject({name: 'envoy_cluster_upstream_rq_total', type: 'counter', value: 20, labels: {cluster_name: 'outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local'}})
  })

  it('puts MetaProtocol samples first and filters with RE2 (a pattern JS would backtrack on is linear here)', () => {
    const s = parsePrometheus(PROM)
    expect(orderStats(s)[0].name).toBe('envoy_meta_protocol_request')
    expect(s.filter(statMatcher('v2\\|')).map((x) => x.value)).toEqual([80])
    expect(() => statMatcher('(?<=a)b')).toThrow(/--match: not a valid RE2 regular expression/)
    expect(s.filter(statMatcher('(a+)+$'))).toHaveLength(0)
  })

  it('gives the observed split per host:port and the configured one from the route tables', () => {
    const split = observedSplits(parsePrometheus(PROM))
    expect(split).toHaveLength(1)
    expect(split[0].arms.map((a) => [a.subset, a.share])).toEqual([['v1', 0.2], ['v2', 0.8]])
    const conf = configuredSplits([{host: 'thrift-sample-server.meta-thrift.svc.cluster.local', port: 9090, routes: [{name: 'traffic-split', action: {kind: 'weighted', clusters: [
      {name: 'outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local', weight: 20}, {name: 'outbound|9090|v2|thrift-sample-server.meta-thrift.svc.cluster.local', weight: 80}]}}]}])
    expect(conf[0].arms).toEqual([{subset: 'v1', share: 0.2}, {subset: 'v2', share: 0.8}])
  })

  it('with a previous read, counts only the requests in between', () => {
    const before = parsePrometheus(PROM)
    const after = parsePrometheus(PROM.replace('} 20', '} 30').replace('} 80', '} 80'))
    expect(deltas(before, after).find((d) => d.value === 30)?.delta).toBe(10)
    const r = statsReport(after, [], () => true, before)
    expect(r.observed[0].arms.map((a) => [a.subset, a.requests])).toEqual([['v1', 10], ['v2', 0]])
  })
})

describe('log levels', () => {
  const page = 'active loggers:\n  admin: info\n  filter: warning\n  router: info\n'
  it('parses /logging and builds POST paths after checking names and level', () => {
    expect(parseLogging(page)).toEqual({admin: 'info', filter: 'warning', router: 'info'})
    expect(loggingPaths(parseLogging(page), 'debug')).toEqual(['logging?level=debug'])
    expect(loggingPaths(parseLogging(page), 'warn', ['filter', 'router'])).toEqual(['logging?filter=warning', 'logging?router=warning'])
    expect(() => loggingPaths(parseLogging(page), 'loud')).toThrow(/LEVEL: unrecognized level "loud"/)
    expect(() => loggingPaths(parseLogging(page), 'debug', ['nope'])).toThrow(/--logger: unrecognized logger name "nope"/)
  })

  it('knows which admin paths change the proxy', () => {
    expect(isMutatingAdminPath('logging')).toBe(false)
    expect(isMutatingAdminPath('/logging?level=debug')).toBe(true)
    expect(isMutatingAdminPath('quitquitquit')).toBe(true)
    expect(isMutatingAdminPath('stats?filter=x')).toBe(false)
  })
})

describe('istiod debug rows', () => {
  it('normalises endpoint names and refuses odd ones', () => {
    expect(debugPath('configz')).toBe('debug/configz')
    expect(debugPath('/debug/adsz?push_status')).toBe('debug/adsz?push_status')
    expect(() => debugPath('../x')).toThrow(/ENDPOINT/)
  })

  it('applies istioctl\'s sync rule and joins adsz with syncz', () => {
    expect(xdsStatus(undefined, undefined)).toBe('NOT SENT')
    expect(xdsStatus('n1', 'n1')).toBe('SYNCED')
    expect(xdsStatus('n2', 'n1')).toBe('STALE')
    const id = 'sidecar~10.244.0.7~client-1.meta-thrift~meta-thrift.svc.cluster.local'
    const rows = adsRows({totalClients: 1, clients: [{connectionId: `${id}-3`, connectedAt: '2026-01-01T00:00:00Z', metadata: {ISTIO_VERSION: '1.20.8'}}]},
      [{proxy: id, istio_version: '1.20.8', cluster_sent: 'a', cluster_acked: 'a', listener_sent: 'b', listener_acked: 'a'}])
    expect(rows).toEqual([{proxy: id, pod: 'client-1', namespace: 'meta-thrift', version: '1.20.8', connectedAt: '2026-01-01T00:00:00Z', status: {CDS: 'SYNCED', LDS: 'STALE', EDS: 'NOT SENT', RDS: 'NOT SENT', ECDS: 'NOT SENT'}}])
  })

  it('lists registry services with their ports', () => {
    expect(registryRows([{hostname: 'b.ns.svc.cluster.local', Attributes: {Namespace: 'ns', ServiceRegistry: 'Kubernetes'}, address: '10.0.0.2', ports: [{name: 'tcp-metaprotocol-thrift', port: 9090, protocol: 'TCP'}]}]))
      .toEqual([{hostname: 'b.ns.svc.cluster.local', namespace: 'ns', registry: 'Kubernetes', address: '10.0.0.2', ports: '9090/TCP (tcp-metaprotocol-thrift)'}])
  })
})

describe('admin answers go through the redactor', () => {
  it('masks a private key in JSON and in text', () => {
    const json = redactAdminAnswer(JSON.stringify({tls: {private_key: {inline_string: 'abc'}}}), false)
    expect(json.redacted).toBe(1)
    expect(json.text).not.toContain('abc')
    const text = redactAdminAnswer('x\n-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----\ny', false)
    expect(text.text).toBe('x\n[redacted: PEM private key, 64 bytes]\ny')
    // A bearer token or a password on a stats/logging line, and a key in base64, go the same way.
    const lines = redactAdminAnswer(`a\nauthorization: Bearer abc.def-123456\nuri https://u:pw-5678@h/\nkey ${Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIsecret\n-----END PRIVATE KEY-----\n').toString('base64')}`, false)
    expect(lines.redacted).toBe(3)
    expect(lines.text).not.toMatch(/abc\.def|pw-5678|LS0tLS1CRUdJTi/)
    expect(redactAdminAnswer('MIIsecret', true).text).toBe('MIIsecret')
  })

  it('masks Authorization: Bearer tokens on text lines in place, letters-only tokens and Envoy header dumps included', () => {
    // What a sidecar debug log prints for a request (Envoy's header dump), and curl-style header lines.
    const planted = ['ABCDEFGHIJKLMNOPQRSTUVWX', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'vault9token0value', 'hunter2hunter2']
    const log = [
      `[debug][http] [C12][S34] request headers complete (end_stream=false):`,
      `':authority', 'thrift-sample-server'`,
      `'authorization', 'Bearer ${planted[0]}'`,
      `Authorization:Bearer ${planted[1]}`,
      `  proxy-authorization: Bearer ${planted[2]}`,
      `'x-vault-token', '${planted[3]}'`,
      `password=${planted[4]} user=bob`,
    ].join('\n')
    const r = redactAdminAnswer(log, false)
    for (const p of planted) expect(r.text).not.toContain(p)
    expect(r.redacted).toBe(5)
    const lines = r.text.split('\n')
    // The header names and the rest of each line stay; only the credential becomes a marker with its size.
    expect(lines[0]).toBe('[debug][http] [C12][S34] request headers complete (end_stream=false):')
    expect(lines[1]).toBe(`':authority', 'thrift-sample-server'`)
    expect(lines[2]).toBe(`'authorization', 'Bearer [redacted: bearer token, 24 bytes]'`)
    expect(lines[3]).toBe('Authorization:Bearer [redacted: bearer token, 26 bytes]')
    expect(lines[4]).toBe('  proxy-authorization: Bearer [redacted: bearer token, 32 bytes]')
    expect(lines[5]).toMatch(/^'x-vault-token', '\[redacted: [a-z ]+, 17 bytes\]'$/)
    expect(lines[6]).toBe('password=[redacted: password, 14 bytes] user=bob')
    // Prose is left alone; --show-secrets shows everything.
    expect(redactAdminAnswer('Bearer authentication failed for user', false)).toEqual({text: 'Bearer authentication failed for user', redacted: 0})
    expect(redactAdminAnswer(log, true).text).toBe(log)
  })
})
