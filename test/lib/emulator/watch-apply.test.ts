import * as k8s from '@kubernetes/client-node'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Emulator} from '../../support/emulator.js'
import {apiError, eventually, withEmulator} from './helpers.js'

let emu: Emulator
let kc: k8s.KubeConfig

beforeAll(async () => { ({emu, kc} = await withEmulator({bare: true})) })
afterAll(() => emu.close())

function startWatch(path: string, query: Record<string, string | number | boolean | undefined>) {
  const events: Array<{type: string; obj: any}> = []
  let ended: unknown = 'open'
  const done = new k8s.Watch(kc).watch(path, query, (type, obj) => events.push({type, obj}), (err) => { ended = err ?? null })
  return {events, done, ended: () => ended}
}

describe('watch', () => {
  it('streams ADDED/MODIFIED/DELETED with increasing resourceVersions from a list RV', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    const list = await core.listNamespacedConfigMap({namespace: 'default'})
    const w = startWatch('/api/v1/namespaces/default/configmaps', {resourceVersion: list.metadata?.resourceVersion})
    const ctl = await w.done
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'w1'}, data: {a: '1'}}})
    await core.patchNamespacedConfigMap({namespace: 'default', name: 'w1', body: {data: {a: '2'}}}, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
    await core.deleteNamespacedConfigMap({namespace: 'default', name: 'w1'})
    await eventually(() => w.events.length >= 3)
    ctl.abort()
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED'])
    const rvs = w.events.map((e) => Number(e.obj.metadata.resourceVersion))
    expect(rvs[0]).toBeGreaterThan(Number(list.metadata?.resourceVersion))
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs)
    expect(new Set(rvs).size).toBe(3)
  })

  it('replays events after an older resourceVersion and filters by label selector', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    const rv = (await core.listNamespacedConfigMap({namespace: 'default'})).metadata!.resourceVersion
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'sel-a', labels: {pick: 'yes'}}}})
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'sel-b', labels: {pick: 'no'}}}})
    const w = startWatch('/api/v1/namespaces/default/configmaps', {resourceVersion: rv, labelSelector: 'pick=yes'})
    const ctl = await w.done
    await eventually(() => w.events.length >= 1)
    ctl.abort()
    expect(w.events.map((e) => `${e.type} ${e.obj.metadata.name}`)).toEqual(['ADDED sel-a'])
  })

  it('reports objects leaving and entering a label selector as DELETED and ADDED', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'mover', labels: {tier: 'gold'}}}})
    const rv = (await core.listNamespacedConfigMap({namespace: 'default'})).metadata!.resourceVersion
    const w = startWatch('/api/v1/namespaces/default/configmaps', {resourceVersion: rv, labelSelector: 'tier=gold'})
    const ctl = await w.done
    const relabel = (tier: string) => core.patchNamespacedConfigMap({namespace: 'default', name: 'mover', body: {metadata: {labels: {tier}}}}, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
    await relabel('silver')
    await relabel('gold')
    await core.patchNamespacedConfigMap({namespace: 'default', name: 'mover', body: {data: {a: '1'}}}, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
    await eventually(() => w.events.length >= 3)
    ctl.abort()
    expect(w.events.map((e) => `${e.type} ${e.obj.metadata.labels.tier}`)).toEqual(['DELETED silver', 'ADDED gold', 'MODIFIED gold'])
  })

  it('replays selector transitions from an older resourceVersion by the state at that version', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'replayer', labels: {tier: 'gold'}}}})
    const rv = (await core.listNamespacedConfigMap({namespace: 'default'})).metadata!.resourceVersion
    const relabel = (tier: string) => core.patchNamespacedConfigMap({namespace: 'default', name: 'replayer', body: {metadata: {labels: {tier}}}}, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
    await relabel('silver')
    await relabel('gold')
    await core.patchNamespacedConfigMap({namespace: 'default', name: 'replayer', body: {data: {a: '1'}}}, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
    const w = startWatch('/api/v1/namespaces/default/configmaps', {resourceVersion: rv, labelSelector: 'tier=gold', fieldSelector: 'metadata.name=replayer'})
    const ctl = await w.done
    await eventually(() => w.events.length >= 3)
    ctl.abort()
    expect(w.events.map((e) => `${e.type} ${e.obj.metadata.labels.tier}`)).toEqual(['DELETED silver', 'ADDED gold', 'MODIFIED gold'])
  })

  it('sends BOOKMARK events carrying the current resourceVersion when allowed', async () => {
    const {emu: e2, kc: kc2} = await withEmulator({bare: true, bookmarkIntervalMs: 30})
    try {
      const events: Array<{type: string; obj: any}> = []
      const ctl = await new k8s.Watch(kc2).watch('/api/v1/namespaces/default/configmaps', {allowWatchBookmarks: true}, (type, obj) => events.push({type, obj}), () => {})
      await eventually(() => events.some((x) => x.type === 'BOOKMARK'))
      ctl.abort()
      const b = events.find((x) => x.type === 'BOOKMARK')!.obj
      expect(b.kind).toBe('ConfigMap')
      expect(Number(b.metadata.resourceVersion)).toBe(e2.state.cluster.store.currentRv())
    } finally {
      await e2.close()
    }
  })

  it('ends open watches with 410 Gone when the fault hook expires them, and refuses the old RV', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    const rv = (await core.listNamespacedConfigMap({namespace: 'default'})).metadata!.resourceVersion
    const w = startWatch('/api/v1/namespaces/default/configmaps', {resourceVersion: rv})
    await w.done
    await eventually(() => emu.faults.expireWatches() >= 0 && w.events.length >= 1)
    expect(w.events[0].type).toBe('ERROR')
    expect(w.events[0].obj).toMatchObject({kind: 'Status', code: 410, reason: 'Expired'})
    const again = startWatch('/api/v1/namespaces/default/configmaps', {resourceVersion: rv})
    await again.done
    await eventually(() => again.events.length >= 1)
    expect(again.events[0].obj).toMatchObject({code: 410, reason: 'Expired'})
    expect(again.events[0].obj.message).toMatch(/too old resource version/)
  })
})

describe('client-node informer', () => {
  it('lists, then watches: add, update and delete callbacks fire for a namespace', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    await core.createNamespace({body: {metadata: {name: 'informed'}}})
    await core.createNamespacedConfigMap({namespace: 'informed', body: {metadata: {name: 'before'}}})
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/informed/configmaps', () => core.listNamespacedConfigMap({namespace: 'informed'}))
    const seen: string[] = []
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`))
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name}`))
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`))
    await informer.start()
    try {
      await eventually(() => seen.includes('add before'))
      await core.createNamespacedConfigMap({namespace: 'informed', body: {metadata: {name: 'after'}}})
      await core.patchNamespacedConfigMap({namespace: 'informed', name: 'after', body: {data: {a: '1'}}}, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
      await core.deleteNamespacedConfigMap({namespace: 'informed', name: 'before'})
      await eventually(() => seen.length >= 4)
      expect(seen).toEqual(['add before', 'add after', 'update after', 'delete before'])
      expect(informer.list().map((o) => o.metadata?.name)).toEqual(['after'])
    } finally {
      await informer.stop()
    }
  })
})

describe('server-side apply', () => {
  const cm = (data: Record<string, string>, labels?: Record<string, string>): k8s.KubernetesObject => ({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'ssa', namespace: 'default', ...(labels ? {labels} : {})}, data} as k8s.KubernetesObject)

  it('creates (201) then updates, records managedFields, and removes fields the manager stopped applying', async () => {
    const client = k8s.KubernetesObjectApi.makeApiClient(kc)
    const created = await client.patch(cm({a: '1', b: '2'}, {l: 'x'}), undefined, undefined, 'mgr-one', true, k8s.PatchStrategy.ServerSideApply)
    expect((created as any).data).toEqual({a: '1', b: '2'})
    const mf = created.metadata?.managedFields ?? []
    expect(mf.map((m) => `${m.manager}/${m.operation}`)).toEqual(['mgr-one/Apply'])
    expect(mf[0].fieldsV1).toMatchObject({'f:data': {'f:a': {}, 'f:b': {}}, 'f:metadata': {'f:labels': {'f:l': {}}}})
    const updated = await client.patch(cm({a: '1'}), undefined, undefined, 'mgr-one', true, k8s.PatchStrategy.ServerSideApply)
    expect((updated as any).data).toEqual({a: '1'})
    expect(updated.metadata?.labels ?? {}).toEqual({})
  })

  it('reports conflicts with another manager (409) unless forced', async () => {
    const client = k8s.KubernetesObjectApi.makeApiClient(kc)
    const e = await client.patch(cm({a: 'other'}), undefined, undefined, 'mgr-two', false, k8s.PatchStrategy.ServerSideApply).catch((x) => x)
    expect(apiError(e).code).toBe(409)
    expect(apiError(e).body.message).toBe('Apply failed with 1 conflict: conflict with "mgr-one" using v1: .data.a')
    const forced = await client.patch(cm({a: 'other'}), undefined, undefined, 'mgr-two', true, k8s.PatchStrategy.ServerSideApply)
    expect((forced as any).data.a).toBe('other')
    expect(forced.metadata?.managedFields?.map((m) => m.manager)).toEqual(['mgr-two'])
  })

  it('requires a fieldManager for apply patches', async () => {
    const https = await import('node:https')
    const res = await new Promise<{status: number; body: any}>((resolve, reject) => {
      const req = https.request(`${emu.url}/api/v1/namespaces/default/configmaps/nomgr`, {method: 'PATCH', ca: emu.caPem,
        headers: {authorization: `Bearer ${emu.token}`, 'content-type': 'application/apply-patch+yaml'}}, (r) => {
        let t = ''
        r.on('data', (c) => (t += c))
        r.on('end', () => resolve({status: r.statusCode!, body: JSON.parse(t)}))
      })
      req.on('error', reject)
      req.end('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nomgr\n')
    })
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/fieldManager: Required value/)
  })

  it('makes a CRD servable once applied, and serves its objects', async () => {
    const client = k8s.KubernetesObjectApi.makeApiClient(kc)
    const before = await kc.makeApiClient(k8s.ApisApi).getAPIVersions()
    expect(before.groups.map((g) => g.name)).not.toContain('metaprotocol.aeraki.io')
    const {MESH_CRDS} = await import('../../../src/lib/playground/seed.js')
    for (const c of MESH_CRDS) await client.patch(c as any, undefined, undefined, 'test', true, k8s.PatchStrategy.ServerSideApply)
    await client.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'meta-thrift'}} as any)
    const mr = await client.patch({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'r', namespace: 'meta-thrift'},
      spec: {hosts: ['h'], routes: [{name: 'v1', route: [{destination: {host: 'h', subset: 'v1'}}]}]}} as any, undefined, undefined, 'test', true, k8s.PatchStrategy.ServerSideApply)
    expect((mr as any).spec.routes[0].route[0].destination.subset).toBe('v1')
    const dr = await client.create({apiVersion: 'networking.istio.io/v1beta1', kind: 'DestinationRule', metadata: {name: 'd', namespace: 'meta-thrift'}, spec: {host: 'h'}} as any)
    expect(dr.apiVersion).toBe('networking.istio.io/v1beta1')
    const read = await client.read({apiVersion: 'networking.istio.io/v1alpha3', kind: 'DestinationRule', metadata: {name: 'd', namespace: 'meta-thrift'}})
    expect(read.apiVersion).toBe('networking.istio.io/v1alpha3')
  })

  it('deleting a namespace removes its contents', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api)
    await core.createNamespace({body: {metadata: {name: 'doomed'}}})
    await core.createNamespacedConfigMap({namespace: 'doomed', body: {metadata: {name: 'x'}}})
    const del = await core.deleteNamespace({name: 'doomed'})
    expect((del as any).status?.phase).toBe('Terminating')
    const e = await core.readNamespacedConfigMap({namespace: 'doomed', name: 'x'}).catch((x) => x)
    expect(apiError(e).code).toBe(404)
    const e2 = await core.readNamespace({name: 'doomed'}).catch((x) => x)
    expect(apiError(e2).code).toBe(404)
  })
})
