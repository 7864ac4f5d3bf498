// dry-run and analyze on other sources: a saved config dump, and a live cluster (the emulator) with -f as a what-if.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as k8s from '@kubernetes/client-node'
import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest'
import {runCli} from '../../support/cli.js'
import {CONFIG_DUMPS as FIXTURES} from '../../support/fixtures.js'
import {startPlaygroundWithDemo, type Playground} from '../../support/playground.js'

const T = 'thrift-sample-server.meta-thrift.svc.cluster.local'

describe('route dry-run --config-dump', () => {
  it('predicts from the method-routing dump: sayHello -> v1, other methods RouteNotFound', async () => {
    const f = join(FIXTURES, 'thrift-client-config-dump.json')
    const a = JSON.parse((await runCli(['route', 'dry-run', '--config-dump', f, '-o', 'json'])).stdout)
    expect(a.routeConfig).toBe(`${T}_9090`)
    expect(a.selectedCluster).toBe(`outbound|9090|v1|${T}`)
    expect(a.clusters[0].exists).toBe(true)
    const b = JSON.parse((await runCli(['route', 'dry-run', '--config-dump', f, '--attr', 'method=other', '-o', 'json'])).stdout)
    expect(b.error).toBe('RouteNotFound')
  })

  it('predicts the 20/80 split from the split dump, read from stdin', async () => {
    const {readFileSync} = await import('node:fs')
    const text = readFileSync(join(FIXTURES, 'thrift-client-config-dump-split.json'), 'utf8')
    for (const [rv, subset] of [['19', 'v1'], ['20', 'v2']]) {
      const r = await runCli(['route', 'dry-run', '--config-dump', '-', '--random-value', rv, '-o', 'json'], {input: text})
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout).selectedCluster).toBe(`outbound|9090|${subset}|${T}`)
    }
  })

  it('rejects what is not a dump, and mixing it with -f', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aerakictl-dump-'))
    onTestFinished(() => rmSync(dir, {recursive: true, force: true}))
    const bad = join(dir, 'notjson.txt')
    writeFileSync(bad, 'error: failed to get config_dump: 503 Service Unavailable\n')
    const r = await runCli(['route', 'dry-run', '--config-dump', bad])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(bad)
    const mixed = await runCli(['route', 'dry-run', '--config-dump', join(FIXTURES, 'thrift-client-config-dump.json'), '-f', bad])
    expect(mixed.code).toBe(2)
    expect(mixed.stderr).toContain('cannot be combined')
  })
})

describe('--from-cluster', () => {
  let pg: Playground
  let dir: string
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo()
    dir = mkdtempSync(join(tmpdir(), 'aerakictl-fc-'))
  })
  afterAll(async () => {
    await pg?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('dry-run reads the cluster: the default route first, then the applied MetaRouter', async () => {
    const a = JSON.parse((await runCli(['route', 'dry-run', '--from-cluster', '--kubeconfig', pg.kubeconfig, '-o', 'json'])).stdout)
    expect(a.route.name).toBe('default')
    expect(a.inputs).toEqual(['the cluster'])
    expect((await runCli(['apply', 'method-route', '--kubeconfig', pg.kubeconfig])).code).toBe(0)
    const b = JSON.parse((await runCli(['route', 'dry-run', '--from-cluster', '--kubeconfig', pg.kubeconfig, '-o', 'json'])).stdout)
    expect(b.metaRouter).toBe('meta-thrift/thrift-sample-server-route')
    expect(b.selectedCluster).toBe(`outbound|9090|v1|${T}`)
  })

  it('with -f it predicts what would happen if the file were applied, without applying it', async () => {
    const split = join(dir, 'split.yaml')
    writeFileSync(split, (await runCli(['apply', 'traffic-split', '-o', 'yaml'])).stdout)
    const r = JSON.parse((await runCli(['route', 'dry-run', '--from-cluster', '--kubeconfig', pg.kubeconfig, '-f', split, '-o', 'json'])).stdout)
    expect(r.clusters.map((c: any) => c.share)).toEqual([0.2, 0.8])
    expect(pg.metaRouters('meta-thrift')[0].spec.routes[0].name).toBe('v1') // the cluster still has the method route
  })

  it('dry-run --pod predicts from the live sidecar\'s config dump, saying how it was fetched', async () => {
    const r = await runCli(['route', 'dry-run', '--pod', 'client', '-n', 'meta-thrift', '--kubeconfig', pg.kubeconfig, '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/via port-forward/)
    const doc = JSON.parse(r.stdout)
    expect(doc.inputs[0]).toMatch(/^config dump of meta-thrift\/thrift-sample-client-/)
    // The sidecar holds the method route applied above.
    expect(doc.route.name).toBe('v1')
    expect(doc.selectedCluster).toBe(`outbound|9090|v1|${T}`)
    const missing = await runCli(['route', 'dry-run', '--pod', 'nosuchapp', '-n', 'meta-thrift', '--kubeconfig', pg.kubeconfig])
    expect(missing.code).toBe(4)
    expect(missing.stderr).toContain('thrift-sample-client')
  })

  it('route test --from-cluster checks the live rules', async () => {
    const suite = join(dir, 'suite.yaml')
    writeFileSync(suite, `tests:
  - test_name: sayHello to v1
    input: {host: thrift-sample-server, attributes: {method: sayHello}}
    validate: {route_name: v1, subset: v1}
`)
    const ok = await runCli(['route', 'test', '-t', suite, '--from-cluster', '--kubeconfig', pg.kubeconfig])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain('1 passed, 0 failed')
    // Against the demo alone (no MetaRouter), the same suite fails: the test really reads the cluster.
    expect((await runCli(['route', 'test', '-t', suite])).code).toBe(3)
  })

  it('analyze --from-cluster finds a bad MetaRouter that reached the cluster', async () => {
    expect((await runCli(['route', 'analyze', '--from-cluster', '--kubeconfig', pg.kubeconfig, '-n', 'meta-thrift'])).code).toBe(0)
    // Written directly (the emulator has no Aeraki webhook), as an old Aeraki or a disabled webhook would allow.
    const kc = new k8s.KubeConfig()
    kc.loadFromString(pg.emu.kubeconfigYaml())
    await k8s.KubernetesObjectApi.makeApiClient(kc).patch({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'thrift-sample-server-route', namespace: 'meta-thrift'},
      spec: {hosts: [T], routes: [{name: 'p', match: {attributes: {method: {prefix: ''}}}, route: [{destination: {host: T, subset: 'v1'}}]}]}} as any, undefined, undefined, 'someone-else', true, k8s.PatchStrategy.ServerSideApply)
    const r = await runCli(['route', 'analyze', '--from-cluster', '--kubeconfig', pg.kubeconfig, '-n', 'meta-thrift'])
    expect(r.code).toBe(79)
    expect(r.stdout).toContain('[PROXY_NACK_EMPTY_PREFIX] (MetaRouter meta-thrift/thrift-sample-server-route cluster:MetaRouter/meta-thrift/thrift-sample-server-route')
  })
})
