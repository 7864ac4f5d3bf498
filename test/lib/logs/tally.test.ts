// The tally: the configured split predicted from MetaRouters, DestinationRules, Services and pods; counts per
// version from the demo client's lines; the verdict; segments when the configuration changes.
import {describe, expect, it} from 'vitest'
import {parseDemoManifests} from '../../../src/lib/demo/world.js'
import {asLoaded} from '../../../src/lib/routing/world.js'
import type {Loaded} from '../../../src/lib/resources/types.js'
import {configuredSplit, demoRequestFor, type DemoRequest} from '../../../src/lib/logs/tally/configured.js'
import {answeringPod} from '../../../src/lib/logs/tally/observe.js'
import {Tally} from '../../../src/lib/logs/tally/tally.js'

const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const request = demoRequestFor(['thrift-sample-client-5c7d9-abcde'], 'meta-thrift')!

const pod = (name: string, version: string, phase = 'Running') => asLoaded({apiVersion: 'v1', kind: 'Pod',
  metadata: {name, namespace: 'meta-thrift', labels: {app: 'thrift-sample-server', version}}, status: {phase}})

const router = (routes: unknown[]) => asLoaded({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter',
  metadata: {name: 'thrift-sample-server-route', namespace: 'meta-thrift'}, spec: {hosts: [HOST], routes}})
const methodRoute = router([{name: 'v1', match: {attributes: {method: {exact: 'sayHello'}}}, route: [{destination: {host: HOST, subset: 'v1'}}]}])
const split = (v1: number, v2: number) => router([{name: 'traffic-split', match: {attributes: {method: {exact: 'sayHello'}}},
  route: [{destination: {host: HOST, subset: 'v1'}, weight: v1}, {destination: {host: HOST, subset: 'v2'}, weight: v2}]}])

async function demo(): Promise<Loaded[]> {
  return (await parseDemoManifests()).filter((l) => l.source.file.includes('/demo/thrift/'))
}

const shares = (objects: Loaded[], req: DemoRequest = request) => Object.fromEntries(configuredSplit(objects, req).versions.map((v) => [v.version, v.share]))

describe('configured split', () => {
  it('knows the demo client by its pod name', () => {
    expect(request).toEqual({demo: 'thrift', host: HOST, port: 9090, attributes: [['method', 'sayHello']], clientNamespace: 'meta-thrift'})
    expect(demoRequestFor(['dubbo-sample-consumer-6b5f-x2k4p'], 'meta-dubbo')?.host).toBe('org.apache.dubbo.samples.basic.api.demoservice')
    expect(demoRequestFor(['nginx-1'], 'default')).toBeUndefined()
  })

  it('follows the seed: both versions, then only v1, then 20/80', async () => {
    const base = [...await demo(), pod('thrift-sample-server-v1-a', 'v1'), pod('thrift-sample-server-v2-b', 'v2')]
    const none = configuredSplit(base, request)
    expect(none).toMatchObject({metaRouter: null, route: 'default', problem: null})
    expect(shares(base)).toEqual({v1: 0.5, v2: 0.5})
    expect(configuredSplit([...base, methodRoute], request)).toMatchObject({metaRouter: 'meta-thrift/thrift-sample-server-route', route: 'v1'})
    expect(shares([...base, methodRoute])).toEqual({v1: 1})
    expect(shares([...base, split(20, 80)])).toEqual({v1: 0.2, v2: 0.8})
    expect(configuredSplit([...base, split(20, 80)], request).fingerprint).not.toBe(configuredSplit([...base, split(30, 70)], request).fingerprint)
  })

  it('spreads a cluster over its running pods, as round-robin does', async () => {
    const objects = [...await demo(), pod('thrift-sample-server-v1-a', 'v1'), pod('thrift-sample-server-v2-b', 'v2'), pod('thrift-sample-server-v2-c', 'v2'),
      pod('thrift-sample-server-v2-d', 'v2', 'Pending')]
    const s = shares(objects)
    expect(s.v1).toBeCloseTo(1 / 3, 12)
    expect(s.v2).toBeCloseTo(2 / 3, 12)
  })

  it('names the problem when no route matches or a subset has no pods', async () => {
    const base = [...await demo(), pod('thrift-sample-server-v1-a', 'v1')]
    expect(configuredSplit([...base, methodRoute], {...request, attributes: [['method', 'other']]})).toMatchObject({versions: [], problem: 'RouteNotFound'})
    expect(configuredSplit([...base, split(20, 80)], request).problem).toBe(`no running pods behind outbound|9090|v2|${HOST}`)
  })
})

describe('tally', () => {
  const v1 = 'Hello Aeraki, response from thrift-sample-server-v1-6dfd8b5c47-5b4j4/10.244.0.13'
  const v2 = 'Hello Aeraki, response from thrift-sample-server-v2-5778c757b-xn5dv/10.244.0.14'
  const versions = new Map([['thrift-sample-server-v1-6dfd8b5c47-5b4j4', 'v1'], ['thrift-sample-server-v2-5778c757b-xn5dv', 'v2']])
  const configured = (v: Record<string, number>, fingerprint = JSON.stringify(v)) => ({metaRouter: null, route: null, problem: null, fingerprint,
    versions: Object.entries(v).map(([version, share]) => ({version, share}))})
  const fill = (t: Tally, n1: number, n2: number, at = Date.now()) => {
    for (let i = 0; i < n1; i++) t.observe(v1, at)
    for (let i = 0; i < n2; i++) t.observe(v2, at)
  }

  it('reads the answering pod from the demo line', () => {
    expect(answeringPod(v2)).toBe('thrift-sample-server-v2-5778c757b-xn5dv')
    expect(answeringPod('Hello Aeraki, response from dubbo-sample-provider-v2-68468d8bc9-2lnv4/10.244.0.96')).toBe('dubbo-sample-provider-v2-68468d8bc9-2lnv4')
    expect(answeringPod('Hello Aeraki')).toBeUndefined()
  })

  it('says whether the observed split is consistent with the configured one', () => {
    const t = new Tally(request)
    t.learnPods(versions)
    t.setConfigured(configured({v1: 0.2, v2: 0.8}))
    fill(t, 84, 316)
    t.observe('Error: meta protocol router: no matched route for request')
    t.observe('some other line')
    const r = t.report()
    expect(r.text).toBe('v1 21% / v2 79% observed, 20/80 configured, consistent (p=0.62, n=400); 1 failed')
    expect(r.observed).toEqual({n: 400, failed: 1, versions: {v1: {count: 84, share: 0.21}, v2: {count: 316, share: 0.79}}})
    expect(r.test.pValue).toBeCloseTo(0.6170750774519738, 9)

    const even = new Tally(request)
    even.learnPods(versions)
    even.setConfigured(configured({v1: 0.2, v2: 0.8}))
    fill(even, 200, 200)
    expect(even.report().text).toBe('v1 50% / v2 50% observed, 20/80 configured, inconsistent (p<0.001, n=400)')
  })

  it('calls an answer from a version configured at 0% inconsistent, and a handful of answers too few', () => {
    const t = new Tally(request)
    t.learnPods(versions)
    t.setConfigured(configured({v1: 1}))
    fill(t, 30, 0)
    expect(t.report().text).toBe('v1 100% observed, 100% v1 configured, consistent (n=30)')
    fill(t, 0, 1)
    expect(t.report().text).toBe('v1 97% / v2 3% observed, 100/0 configured, inconsistent: v2 answered but is configured 0% (n=31)')
    const few = new Tally(request)
    few.learnPods(versions)
    few.setConfigured(configured({v1: 0.2, v2: 0.8}))
    fill(few, 1, 3)
    expect(few.report().text).toBe('v1 25% / v2 75% observed, 20/80 configured, too few requests to judge (n=4)')
  })

  it('starts a new segment when the configuration changes, without the answers that may follow the new one', () => {
    const t = new Tally(request, 1000)
    t.learnPods(versions)
    t.setConfigured(configured({v1: 0.5, v2: 0.5}))
    const now = Date.now()
    fill(t, 10, 10, now - 5000)
    // Answers that arrived after the moment the old configuration was last seen belong to neither segment.
    fill(t, 7, 0, now - 100)
    t.observe('Hello Aeraki, response from thrift-sample-server-v3-1/10.0.0.3', now - 50)
    expect(t.setConfigured(configured({v1: 0.5, v2: 0.5}), now - 200)).toBeUndefined()
    const before = t.setConfigured(configured({v1: 1}), now - 200, new Date(now))
    expect(before?.text).toBe('v1 50% / v2 50% observed, 50/50 configured, consistent (p=1.00, n=20)')
    fill(t, 0, 5, now + 500) // still settling
    fill(t, 12, 0, now + 1500)
    expect(t.report().text).toBe('v1 100% observed, 100% v1 configured, consistent (n=12)')
    expect(t.previous.map((p) => p.observed.n)).toEqual([20])
    expect(Object.keys(t.previous[0].observed.versions)).toEqual(['v1', 'v2'])
  })

  it('counts answers of pods it does not know as such', () => {
    const t = new Tally(undefined)
    t.observe('Hello Aeraki, response from somewhere-else-1/10.0.0.1')
    expect(t.report().text).toBe('(unknown pod) 100% observed, configured split unknown')
  })
})
