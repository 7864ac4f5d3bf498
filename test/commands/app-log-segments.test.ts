// app-log --tally right after a change: each line is attributed to the configuration in force when it was
// written (its log timestamp against the MetaRouter's managedFields time), so a --tail backlog from before
// `apply method-route` is shown as an earlier segment instead of making the new 100/0 split look inconsistent.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'

let pg: Playground
const VERSION = /response from thrift-sample-server-(v[12])-/

describe('app-log --tally segments by the time lines were written', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({speed: 10})
    const pods = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift')
    await until(() => pods().filter((p: any) => p.status?.phase === 'Running').length >= 4, 'the four demo pods Running')
  })
  afterAll(async () => { await pg?.close() })

  it('after apply method-route, the backlog before the change is an earlier segment and the tally of the rest is consistent', async () => {
    const client = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift').find((p: any) => p.metadata.name.startsWith('thrift-sample-client'))!
    const buf = () => pg.emu.state.logs.buffer('meta-thrift', client().metadata!.name!, 'thrift-sample-client')
    // Answers from v1 and v2, and a v2 answer written in an earlier second than now: the change's managedFields time
    // is whole seconds, so a line of the change's own second is counted in no segment (the apply follows this wait).
    const second = () => Math.floor(Date.now() / 1000) * 1000
    await until(() => new Set(buf().lines.map((l) => VERSION.exec(l.text)?.[1]).filter(Boolean)).size === 2 &&
      buf().lines.some((l) => VERSION.exec(l.text)?.[1] === 'v2' && l.time.getTime() < second()), 'answers from v1 and v2, one from v2 in an earlier second')
    const applied = await runCli(['apply', 'method-route', '--kubeconfig', pg.kubeconfig])
    expect(applied.code, applied.stderr).toBe(0)
    const mr = pg.metaRouters('meta-thrift')[0]
    const changed = Math.max(...mr.metadata.managedFields.map((f: any) => Date.parse(f.time)))
    // Ten lines after the change (and its second); the whole backlog (--tail -1) reaches back before it however
    // long the wait took on a loaded machine.
    await until(() => buf().lines.filter((l) => l.time.getTime() >= changed + 1500).length >= 10, 'ten lines after the change')
    const r = await runCli(['app-log', 'client', 'meta-thrift', '--tail', '-1', '--tally', '-o', 'json', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    const {tally} = JSON.parse(r.stdout.trim().split('\n').pop()!)
    expect(tally.configured.versions).toEqual({v1: 1})
    expect(Object.keys(tally.observed.versions)).toEqual(['v1'])
    expect(tally.test.verdict).not.toBe('inconsistent')
    expect(tally.previous[0].configured).toBeNull()
    expect(tally.previous[0].observed.versions.v2.count).toBeGreaterThan(0)
    expect(r.stderr).toMatch(/tally for method=sayHello to thrift-sample-server\.meta-thrift\.svc\.cluster\.local from \S+: written before the configuration in force \(changed \S+\): /)
  }, 120_000)
})

describe('app-log targets like stern and istioctl', () => {
  let pg2: Playground
  beforeAll(async () => {
    pg2 = await startPlaygroundWithDemo({speed: 10})
    const pods = () => pg2.emu.state.cluster.list(pg2.emu.state.cluster.type('', 'pods'))
    await until(() => pods().filter((p: any) => p.status?.phase === 'Running').length >= 7, 'the demo and istio-system pods Running')
  })
  afterAll(async () => { await pg2?.close() })

  it('tails istio-proxy of a pod that has only the proxy (the ingress gateway) instead of failing', async () => {
    const r = await runCli(['app-log', 'istio-ingressgateway', 'istio-system', '--tail', '2', '--kubeconfig', pg2.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^istio-ingressgateway-\S+ .*Envoy proxy is ready$/m)
  })

  it('takes NAME.NAMESPACE as istioctl does', async () => {
    const client = () => pg2.emu.state.cluster.list(pg2.emu.state.cluster.type('', 'pods'), 'meta-thrift').find((p: any) => p.metadata.name.startsWith('thrift-sample-client'))!
    await until(() => pg2.emu.state.logs.buffer('meta-thrift', client().metadata!.name!, 'thrift-sample-client').lines.length > 0, 'a line in the client log')
    const r = await runCli(['app-log', 'client.meta-thrift', '--tail', '1', '--kubeconfig', pg2.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^thrift-sample-client-\S+ /m)
  })
})
