// The seed tutorial end to end through client-node: install the Thrift demo, watch the client's log
// alternate between v1 and v2, route sayHello to v1, then split 20/80, then read the sidecar's config dump.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {PassThrough, Writable} from 'node:stream'
import * as k8s from '@kubernetes/client-node'
import * as yaml from 'js-yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Emulator} from '../../support/emulator.js'
import {eventually, withEmulator} from './helpers.js'

import {THRIFT_DEMO as demoDir} from '../../support/demo.js'

let emu: Emulator
let kc: k8s.KubeConfig
let client: k8s.KubernetesObjectApi
let clientPod: string
// Lines with their server-side timestamps, so "after the change" is exact even for lines in flight.
const stamped: Array<{at: number; text: string}> = []
const textsAfter = (t: number) => stamped.filter((l) => l.at > t).map((l) => l.text)
let abort: AbortController | undefined

async function applyFile(file: string): Promise<void> {
  for (const doc of yaml.loadAll(readFileSync(join(demoDir, file), 'utf8')) as any[]) {
    if (!doc?.kind) continue
    doc.metadata.namespace ??= 'meta-thrift'
    await client.patch(doc, undefined, undefined, 'seed-test', true, k8s.PatchStrategy.ServerSideApply)
  }
}

const serverOf = (line: string) => /^Hello Aeraki, response from (thrift-sample-server-(v[12])-[a-z0-9]+-[a-z0-9]{5})\/10\.244\.\d+\.\d+$/.exec(line)?.[2]

describe('seed scenario through client-node', () => {
  beforeAll(async () => {
    ;({emu, kc} = await withEmulator({speed: 25}))
    client = k8s.KubernetesObjectApi.makeApiClient(kc)
    await kc.makeApiClient(k8s.CoreV1Api).createNamespace({body: {metadata: {name: 'meta-thrift', labels: {'istio-injection': 'enabled'}}}})
    await applyFile('thrift-sample.yaml')
    await applyFile('destinationrule.yaml')
    const core = kc.makeApiClient(k8s.CoreV1Api)
    const pod = await eventually(async () => (await core.listNamespacedPod({namespace: 'meta-thrift', labelSelector: 'app=thrift-sample-client'}))
      .items.find((p) => p.status?.phase === 'Running'))
    clientPod = pod.metadata!.name!
    let partial = ''
    const sink = new Writable({write(c, _e, cb) { partial += c.toString(); const parts = partial.split('\n'); partial = parts.pop()!; for (const p of parts) { const i = p.indexOf(' '); stamped.push({at: Date.parse(p.slice(0, i)), text: p.slice(i + 1)}) } cb() }})
    abort = await new k8s.Log(kc).log('meta-thrift', clientPod, 'thrift-sample-client', sink, {follow: true, timestamps: true})
  })
  afterAll(async () => { abort?.abort(); await emu?.close() })

  it('runs the demo pods with realistic names and an injected sidecar', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    const pods = (await core.listNamespacedPod({namespace: 'meta-thrift'})).items
    const names = pods.map((p) => p.metadata!.name!).sort()
    expect(names).toHaveLength(3)
    expect(names[0]).toMatch(/^thrift-sample-client-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    expect(names[1]).toMatch(/^thrift-sample-server-v1-[a-z0-9]+-[a-z0-9]{5}$/)
    expect(pods.every((p) => p.spec?.containers.some((c) => c.name === 'istio-proxy' && c.image === 'ghcr.io/aeraki-mesh/meta-protocol-proxy:1.4.2'))).toBe(true)
    const events = await core.listNamespacedEvent({namespace: 'meta-thrift'})
    expect(events.items.map((e) => e.reason)).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Started', 'SuccessfulCreate', 'ScalingReplicaSet']))
  })

  it('without a MetaRouter the client alternates between v1 and v2', async () => {
    // Round robin over the two ready servers: once both answer, no version twice in a row.
    const alternating = (v: Array<string | undefined>) => v.length === 6 && v.every((x, i) => x && (i === 0 || x !== v[i - 1]))
    await eventually(() => alternating(stamped.slice(-6).map((l) => serverOf(l.text))))
    // Before the first server is ready the client may log "no healthy upstream"; from its first answer on, every
    // request is answered.
    const first = stamped.findIndex((l) => serverOf(l.text))
    const unanswered = stamped.slice(first).filter((l) => !serverOf(l.text)).map((l) => l.text)
    expect(unanswered).toEqual([])
  })

  it('after the method-route MetaRouter only v1 answers', async () => {
    await applyFile('metarouter-v1.yaml')
    const applied = Date.now()
    await eventually(() => textsAfter(applied).length >= 15)
    const after = textsAfter(applied).map(serverOf)
    expect(after.every((v) => v === 'v1')).toBe(true)
  })

  it('after the 20/80 split both versions answer again, v2 more often', async () => {
    await applyFile('traffic-split.yaml')
    const applied = Date.now()
    await eventually(() => textsAfter(applied).length >= 60, 20_000)
    const after = textsAfter(applied).map(serverOf)
    const v2 = after.filter((v) => v === 'v2').length
    expect(after.every(Boolean)).toBe(true)
    expect(v2).toBeGreaterThan(after.length / 2)
    expect(v2).toBeLessThan(after.length)
  })

  it('the client sidecar config dump carries the stored MetaRouter', async () => {
    let out = ''
    const w = new Writable({write(c, _e, cb) { out += c.toString(); cb() }})
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(kc).exec('meta-thrift', clientPod, 'istio-proxy', ['pilot-agent', 'request', 'GET', 'config_dump'], w, new PassThrough(), null, false, resolve).catch(reject)
    })
    expect(status.status).toBe('Success')
    const dump = JSON.parse(out)
    const text = JSON.stringify(dump)
    expect(text).toContain('aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump')
    expect(text).toContain('outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local')
    expect(text).toContain('traffic-split')
  })

  it('?include_eds adds the endpoints of each subset cluster (the v1 server pod IP under the v1 cluster)', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    const v1 = (await core.listNamespacedPod({namespace: 'meta-thrift', labelSelector: 'version=v1'})).items[0]
    const {adminRequest} = await import('../../../src/lib/playground/sidecar-admin.js')
    const pod = emu.state.cluster.find(emu.state.cluster.type('', 'pods'), 'meta-thrift', clientPod)!
    const plain = JSON.stringify(JSON.parse(adminRequest(emu.state.cluster, pod, '/config_dump').body))
    const withEds = JSON.parse(adminRequest(emu.state.cluster, pod, '/config_dump?include_eds').body)
    expect(plain).not.toContain('EndpointsConfigDump')
    const eds = withEds.configs.find((c: any) => String(c['@type']).endsWith('EndpointsConfigDump'))
    expect(eds).toBeDefined()
    const addresses = (name: string) => eds.dynamic_endpoint_configs.find((c: any) => c.endpoint_config.cluster_name === name)
      ?.endpoint_config.endpoints.flatMap((e: any) => e.lb_endpoints.map((l: any) => l.endpoint.address.socket_address.address))
    expect(addresses('outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local')).toEqual([v1.status!.podIP])
    expect(addresses('outbound|9090||thrift-sample-server.meta-thrift.svc.cluster.local')).toHaveLength(2)
  })

  it('with the local rate limit MetaRouter, the v1 pod admits 2 sayHello per 30 s and rejects the rest', async () => {
    await applyFile('metarouter-local-ratelimit.yaml')
    const applied = Date.now()
    await eventually(() => textsAfter(applied).length >= 10)
    const after = textsAfter(applied)
    // A request may slip in between the store update and `applied`, so up to 2 (not exactly 2) answers follow.
    const answered = after.filter(serverOf)
    expect(answered.length).toBeLessThanOrEqual(2)
    expect(answered.every((l) => serverOf(l) === 'v1')).toBe(true)
    const rejected = after.filter((l) => !serverOf(l))
    expect(rejected.length).toBeGreaterThanOrEqual(8)
    for (const line of rejected) {
      expect(line).toMatch(/^Error: meta protocol proxy of thrift-sample-server-v1-\w+-\w{5}: over limit \(localRateLimit conditions\[0\] of MetaRouter meta-thrift\/test-metaprotocol-thrift-route\)$/)
    }
  })

  it('with the global rate limit MetaRouter: every request fails until the ratelimit service runs, then 10 sayHello per minute pass', async () => {
    await applyFile('metarouter-global-ratelimit.yaml')
    const applied = Date.now()
    await eventually(() => textsAfter(applied).length >= 5)
    for (const line of textsAfter(applied)) {
      expect(line).toMatch(/^Error: meta protocol proxy of thrift-sample-server-v[12]-\w+-\w{5}: unknown cluster 'outbound\|8081\|\|rate-limit-server\.meta-thrift\.svc\.cluster\.local'/)
    }
    const core = kc.makeApiClient(k8s.CoreV1Api)
    await core.createNamespacedConfigMap({namespace: 'meta-thrift', body: {metadata: {name: 'rate-limit-config'}, data: {'config.yaml': readFileSync(join(demoDir, 'rate-limit-server/config.yaml'), 'utf8')}}})
    await applyFile('rate-limit-server/rate-limit-server.yaml')
    const firstAnswer = await eventually(() => stamped.find((l) => l.at > applied && serverOf(l.text)))
    await eventually(() => stamped.filter((l) => l.at >= firstAnswer.at).length >= 30)
    const window = stamped.filter((l) => l.at >= firstAnswer.at)
    const perMinute = new Map<number, number>()
    for (const l of window) if (serverOf(l.text)) perMinute.set(Math.floor(l.at / 60_000), (perMinute.get(Math.floor(l.at / 60_000)) ?? 0) + 1)
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(10)
    const over = window.filter((l) => !serverOf(l.text)).map((l) => l.text)
    expect(over.length).toBeGreaterThan(0)
    for (const line of over) expect(line).toMatch(/^Error: meta protocol proxy of thrift-sample-server-v[12]-\w+-\w{5}: over limit \(globalRateLimit of MetaRouter meta-thrift\/test-metaprotocol-thrift-route: 10 per minute for method=sayHello\)$/)
  })
})
