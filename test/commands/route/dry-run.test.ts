// `aerakictl route dry-run`: the seed scenarios and routing cases as library calls (runDryRun, the document -o json
// prints), and the command itself for output formats, inputs and exit codes.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {load} from 'js-yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ANSI, runCli} from '../../support/cli.js'
import {dryRunDocument, runDryRun, type DryRunOptions} from '../../../src/lib/dryrun/run.js'
import {renderJson} from '../../../src/lib/render/json.js'

const THRIFT = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const v = (subset: string) => `outbound|9090|${subset}|${THRIFT}`

let dir: string
const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

const SERVICE_YAML = `apiVersion: v1
kind: Service
metadata:
  name: thrift-sample-server
  namespace: meta-thrift
spec:
  ports:
    - name: tcp-metaprotocol-thrift-hello-server
      port: 9090
    - name: http-metrics
      port: 15090
`

/** The prediction as `-o json` prints it, from the library call the command makes (no CLI in between). */
async function predict(o: Partial<DryRunOptions>) {
  return JSON.parse(renderJson(dryRunDocument(await runDryRun({files: [], attr: [], set: [], ...o}))))
}

async function json(args: string[]) {
  const r = await runCli([...args, '-o', 'json'])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout)
}

describe('route dry-run', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aerakictl-dryrun-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('runs on the embedded Thrift demo with no flags: the default route, no colour when piped', async () => {
    const r = await runCli(['route', 'dry-run'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('route #0 "default"')
    expect(r.stdout).toContain(`outbound|9090||${THRIFT}`)
    expect(r.stdout).not.toMatch(ANSI)
  })

  it('seed step 2: method-route sends sayHello to v1 only', async () => {
    const doc = await predict({template: 'method-route'})
    expect(doc.route).toEqual({index: 0, name: 'v1'})
    expect(doc.clusters.map((c: any) => [c.name, c.weight, c.share])).toEqual([[v('v1'), 100, 1]])
    expect(doc.selectedCluster).toBe(v('v1'))
    expect(doc.error).toBeNull()
    expect(doc.configOutcome).toBeNull()
  })

  it('seed step 3: the 20/80 split picks v1 for random value 19 and v2 for 20', async () => {
    const a = await predict({template: 'traffic-split', randomValue: '19'})
    const b = await predict({template: 'traffic-split', randomValue: '20'})
    expect(a.selectedCluster).toBe(v('v1'))
    expect(b.selectedCluster).toBe(v('v2'))
    expect(a.clusters.map((c: any) => c.share)).toEqual([0.2, 0.8])
  })

  it('picks with the full 64-bit random value (beyond 2^53)', async () => {
    // 18446744073709551615 % 100 = 15 -> v1; as a double it would round to ...616 (% 100 = 16, still v1), so also check 2^64-1-15 -> 0 -> v1 and 2^63+20 -> 28 -> v2.
    const max = await predict({template: 'traffic-split', randomValue: '18446744073709551615'})
    expect(max.pick.selected).toBe(15)
    const big = await predict({template: 'traffic-split', randomValue: '9223372036854775828'})
    expect(big.pick.selected).toBe(28)
    expect(big.selectedCluster).toBe(v('v2'))
  })

  it('--samples counts picks next to the exact shares, reproducibly with --seed', async () => {
    const a = await predict({template: 'traffic-split', samples: 20000, seed: '7'})
    const b = await predict({template: 'traffic-split', samples: 20000, seed: '7'})
    expect(a.samples.n).toBe(20000)
    expect(a.samples.counts[v('v1')] + a.samples.counts[v('v2')]).toBe(20000)
    expect(Math.abs(a.samples.counts[v('v1')] / 20000 - 0.2)).toBeLessThan(0.02)
    expect(b.samples).toEqual(a.samples)
  })

  it('a request no route matches is a prediction (RouteNotFound, exit 0)', async () => {
    const doc = await predict({template: 'method-route', attr: ['method=sayGoodbye']})
    expect(doc.route).toBeNull()
    expect(doc.error).toBe('RouteNotFound')
    expect(doc.walk[0].matchers[0]).toMatchObject({actual: 'sayGoodbye', matched: false, reason: 'mismatch'})
  })

  it('the Dubbo demo: --host dubbo with the method route, and the local rate limit over a burst', async () => {
    const doc = await predict({host: 'dubbo', template: 'method-route'})
    expect(doc.selectedCluster).toBe('outbound|20880|v1|org.apache.dubbo.samples.basic.api.demoservice')
    const rl = await predict({host: 'dubbo', template: 'local-ratelimit', sequence: 10})
    expect(rl.rateLimit).toMatchObject({sequence: 10, allowed: 2, rejected: 8})
  })

  it('-o yaml and --json carry the same document as -o json', async () => {
    const j = await json(['route', 'dry-run', '--template', 'traffic-split', '--random-value', '5'])
    const y = await runCli(['route', 'dry-run', '--template', 'traffic-split', '--random-value', '5', '-o', 'yaml'])
    expect(y.code).toBe(0)
    expect(load(y.stdout)).toEqual(j)
    const jf = await runCli(['route', 'dry-run', '--template', 'traffic-split', '--random-value', '5', '--json'])
    expect(JSON.parse(jf.stdout)).toEqual(j)
  })

  it('reads -f files and stdin; a short --host resolves and the port is inferred', async () => {
    const mr = `apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: r, namespace: meta-thrift}
spec:
  hosts: [${THRIFT}]
  routes:
    - name: by-regex
      match: {attributes: {method: {regex: "say(Hello|Hi)"}}}
      route: [{destination: {host: ${THRIFT}, subset: v2}}]
`
    const svc = file('svc.yaml', SERVICE_YAML)
    const r = await runCli(['route', 'dry-run', '-f', svc, '-f', '-', '--host', 'thrift-sample-server', '--attr', 'method=sayHi', '-o', 'json'], {input: mr})
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.route.name).toBe('by-regex')
    expect(doc.service).toMatchObject({host: THRIFT, port: 9090})
    // The DestinationRule is not among the inputs, so subset v2 has no cluster.
    expect(doc.error).toBe('ClusterNotFound')
    expect(doc.findings.some((f: any) => f.code === 'CLUSTER_NOT_FOUND')).toBe(true)
  })

  it('a MetaRouter the webhook rejects is reported with the field path and its file:line', async () => {
    const bad = file('bad-weights.yaml', `${SERVICE_YAML}---
apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: split, namespace: meta-thrift}
spec:
  hosts: [${THRIFT}]
  routes:
    - name: split
      route:
        - destination: {host: ${THRIFT}, subset: v1}
          weight: 30
        - destination: {host: ${THRIFT}, subset: v2}
          weight: 60
`)
    const doc = await predict({files: [bad]})
    expect(doc.configOutcome).toBe('rejected-by-webhook')
    const f = doc.findings.find((x: any) => x.code === 'WEBHOOK_WEIGHT_SUM')
    expect(f).toMatchObject({severity: 'error', path: 'spec.routes[0].route', resource: 'MetaRouter meta-thrift/split'})
    expect(f.message).toContain('90 != 100')
    expect(f.location).toBe(`${bad}:20:7`) // the `route:` key
  })

  it('a schema violation names the field and line', async () => {
    const bad = file('bad-type.yaml', `${SERVICE_YAML}---
apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: typed, namespace: meta-thrift}
spec:
  hosts: [${THRIFT}]
  routes:
    - name: one
      route:
        - destination: {host: ${THRIFT}}
          weight: "lots"
`)
    const doc = await predict({files: [bad]})
    expect(doc.configOutcome).toBe('rejected-by-webhook')
    const f = doc.findings.find((x: any) => x.code === 'SCHEMA_INVALID')
    expect(f).toMatchObject({path: 'spec.routes[0].route[0].weight'})
    expect(f.location).toBe(`${bad}:22:11`) // the `weight:` key
  })

  it('an empty prefix passes the webhook but the proxy NACKs the table', async () => {
    const bad = file('nack.yaml', `${SERVICE_YAML}---
apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: nack, namespace: meta-thrift}
spec:
  hosts: [${THRIFT}]
  routes:
    - name: p
      match: {attributes: {method: {prefix: ""}}}
      route: [{destination: {host: ${THRIFT}}}]
`)
    const doc = await predict({files: [bad]})
    expect(doc.configOutcome).toBe('nacked-by-proxy')
    expect(doc.route).toBeNull()
    expect(doc.findings.find((x: any) => x.code === 'PROXY_NACK_EMPTY_PREFIX').path).toBe('spec.routes[0].match.attributes.method.prefix')
  })

  describe('bad input exits 2 with a message naming the file, line or flag', () => {
    const cases: Array<[string, () => string[], RegExp]> = [
      ['YAML syntax error', () => ['-f', file('broken.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n')], /broken\.yaml:\d+:\d+: /],
      ['duplicate key', () => ['-f', file('dup.yaml', 'apiVersion: v1\nkind: Service\nkind: Service\n')], /dup\.yaml:3:1: .*[Mm]ap keys must be unique/],
      ['object without kind', () => ['-f', file('nokind.yaml', 'apiVersion: v1\nmetadata: {name: x}\n')], /nokind\.yaml:1:1: object has no "kind"/],
      ['missing file', () => ['-f', join(tmpdir(), 'does-not-exist.yaml')], /no such file or directory: .*does-not-exist\.yaml/],
      ['attribute without =', () => ['--attr', 'method'], /--attr: "method" is not KEY=VALUE/],
      ['negative random value', () => ['--random-value', '-1'], /--random-value: "-1" is not an unsigned 64-bit integer/],
      ['random value over 2^64-1', () => ['--random-value', '18446744073709551616'], /--random-value: .* is not an unsigned 64-bit integer/],
      ['unknown host', () => ['--host', 'nosuch'], /--host: no Service or ServiceEntry named "nosuch".*thrift-sample-server\.meta-thrift/],
      ['ambiguous host', () => ['--host', 'api'], /--host: "api" is ambiguous: .*demoservice.*secondservice/],
      ['port that is not MetaProtocol', () => ['-f', file('svc2.yaml', SERVICE_YAML), '--port', '15090'], /--port: port 15090 \(http-metrics\) .* is not a MetaProtocol port; MetaProtocol ports: 9090/],
      ['unknown template', () => ['--template', 'nope'], /--template: unknown template "nope"; templates: .*method-route/],
      ['bad weights', () => ['--template', 'traffic-split', '--set', 'weights=v1:x'], /--set weights: "v1:x" is not subset:weight/],
      ['unknown flag', () => ['--no-such-flag'], /Nonexistent flag: --no-such-flag/],
      ['bad output format', () => ['-o', 'xml'], /Expected --output=xml to be one of: table, json, yaml/],
    ]
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const r = await runCli(['route', 'dry-run', ...args()])
        expect(r.code).toBe(2)
        expect(r.stdout).toBe('')
        expect(r.stderr).toMatch(message)
      })
    }
  })

  it('colour: on with FORCE_COLOR, off again with NO_COLOR', async () => {
    const on = await runCli(['route', 'dry-run', '--template', 'method-route'], {env: {FORCE_COLOR: '1'}})
    expect(on.stdout).toMatch(ANSI)
    const off = await runCli(['route', 'dry-run', '--template', 'method-route'], {env: {FORCE_COLOR: '1', NO_COLOR: '1'}})
    expect(off.stdout).not.toMatch(ANSI)
  })

  it('--client-namespace outside exportTo: the client has no MetaProtocol proxy', async () => {
    const f = file('export.yaml', `${SERVICE_YAML}---
apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: e, namespace: meta-thrift}
spec:
  hosts: [${THRIFT}]
  exportTo: ["."]
  routes:
    - route: [{destination: {host: ${THRIFT}, subset: v1}}]
`)
    const inside = await predict({clientNamespace: 'meta-thrift', files: [f]})
    expect(inside.configOutcome).toBeNull()
    const outside = await predict({clientNamespace: 'default', files: [f]})
    expect(outside.configOutcome).toBe('no-meta-protocol-proxy-on-client')
    expect(outside.clusters.map((c: any) => c.name)).toEqual([`outbound|9090||${THRIFT}`])
  })
})
