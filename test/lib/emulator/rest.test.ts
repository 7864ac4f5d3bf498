import * as k8s from '@kubernetes/client-node'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Emulator} from '../../support/emulator.js'
import {apiError, eventually, withEmulator} from './helpers.js'

let emu: Emulator
let kc: k8s.KubeConfig
let core: k8s.CoreV1Api

beforeAll(async () => {
  ;({emu, kc} = await withEmulator())
  core = kc.makeApiClient(k8s.CoreV1Api)
})
afterAll(() => emu.close())

describe('REST through client-node', () => {
  it('lists the seeded namespaces and istio-system pods', async () => {
    const nss = await core.listNamespace()
    expect(nss.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['default', 'kube-system', 'istio-system']))
    const pods = await eventually(async () => {
      const l = await core.listNamespacedPod({namespace: 'istio-system'})
      return l.items.length === 3 && l.items.every((p) => p.status?.phase === 'Running') ? l : undefined
    })
    expect(pods.items.map((p) => p.metadata?.name).join(' ')).toMatch(/^aeraki-[a-z0-9]{8,10}-[a-z0-9]{5} istio-ingressgateway-[a-z0-9]{8,10}-[a-z0-9]{5} istiod-[a-z0-9]{8,10}-[a-z0-9]{5}$/)
  })

  it('lists in namespace/name order across namespaces and pages, and a list after a change shows it', async () => {
    for (const ns of ['order-b', 'order-a']) await core.createNamespace({body: {metadata: {name: ns}}})
    for (const [ns, name] of [['order-b', 'm'], ['order-a', 'z'], ['order-b', 'a'], ['order-a', 'b']]) {
      await core.createNamespacedConfigMap({namespace: ns, body: {metadata: {name, labels: {order: 'test'}}, data: {v: '1'}}})
    }
    const names = async (limit?: number) => {
      const out: string[] = []
      let token: string | undefined
      do {
        const page = await core.listConfigMapForAllNamespaces({labelSelector: 'order=test', ...(limit ? {limit} : {}), ...(token ? {_continue: token} : {})})
        out.push(...page.items.map((c) => `${c.metadata?.namespace}/${c.metadata?.name}:${c.data?.v}`))
        token = page.metadata?._continue
      } while (token)
      return out
    }
    expect(await names()).toEqual(['order-a/b:1', 'order-a/z:1', 'order-b/a:1', 'order-b/m:1'])
    expect(await names(3)).toEqual(await names())
    await core.patchNamespacedConfigMap({namespace: 'order-b', name: 'a', body: {data: {v: '2'}}}, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
    expect(await names()).toEqual(['order-a/b:1', 'order-a/z:1', 'order-b/a:2', 'order-b/m:1'])
    await core.deleteNamespacedConfigMap({namespace: 'order-a', name: 'z'})
    expect(await names()).toEqual(['order-a/b:1', 'order-b/a:2', 'order-b/m:1'])
    await core.createNamespacedConfigMap({namespace: 'order-a', body: {metadata: {name: 'c', labels: {order: 'test'}}, data: {v: '1'}}})
    expect(await names()).toEqual(['order-a/b:1', 'order-a/c:1', 'order-b/a:2', 'order-b/m:1'])
    expect((await core.listNamespacedConfigMap({namespace: 'order-b', labelSelector: 'order=test'})).items.map((c) => c.metadata?.name)).toEqual(['a', 'm'])
  })

  it('creates, gets, lists by label and field selector, and deletes a configmap', async () => {
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'a', labels: {tier: 'x'}}, data: {k: 'v'}}})
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'b', labels: {tier: 'y'}}, data: {k: 'w'}}})
    const got = await core.readNamespacedConfigMap({namespace: 'default', name: 'a'})
    expect(got.data).toEqual({k: 'v'})
    expect(Number(got.metadata?.resourceVersion)).toBeGreaterThan(0)
    const byLabel = await core.listNamespacedConfigMap({namespace: 'default', labelSelector: 'tier in (y,z)'})
    expect(byLabel.items.map((c) => c.metadata?.name)).toEqual(['b'])
    const notX = await core.listNamespacedConfigMap({namespace: 'default', labelSelector: 'tier!=x'})
    expect(notX.items.map((c) => c.metadata?.name)).toEqual(['b'])
    const byField = await core.listNamespacedConfigMap({namespace: 'default', fieldSelector: 'metadata.name=a'})
    expect(byField.items.map((c) => c.metadata?.name)).toEqual(['a'])
    await core.deleteNamespacedConfigMap({namespace: 'default', name: 'a'})
    const e = await core.readNamespacedConfigMap({namespace: 'default', name: 'a'}).catch((x) => x)
    expect(apiError(e).code).toBe(404)
    expect(apiError(e).body).toMatchObject({kind: 'Status', reason: 'NotFound', message: 'configmaps "a" not found'})
  })

  it('rejects duplicates with 409 AlreadyExists and unknown namespaces with 404', async () => {
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'dup'}}})
    const e = await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'dup'}}}).catch((x) => x)
    expect(apiError(e)).toMatchObject({code: 409, body: {reason: 'AlreadyExists'}})
    const e2 = await core.createNamespacedConfigMap({namespace: 'nope', body: {metadata: {name: 'x'}}}).catch((x) => x)
    expect(apiError(e2)).toMatchObject({code: 404, body: {message: 'namespaces "nope" not found'}})
  })

  it('replaces with resourceVersion checks (409 Conflict on a stale version)', async () => {
    const cm = await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'rv'}, data: {a: '1'}}})
    const updated = await core.replaceNamespacedConfigMap({namespace: 'default', name: 'rv', body: {...cm, data: {a: '2'}}})
    expect(updated.data).toEqual({a: '2'})
    const e = await core.replaceNamespacedConfigMap({namespace: 'default', name: 'rv', body: {...cm, data: {a: '3'}}}).catch((x) => x)
    expect(apiError(e)).toMatchObject({code: 409, body: {reason: 'Conflict'}})
  })

  it('merge-patches and strategic-merge-patches', async () => {
    await core.createNamespacedConfigMap({namespace: 'default', body: {metadata: {name: 'mp', labels: {a: '1'}}, data: {x: '1', y: '2'}}})
    const merged = await core.patchNamespacedConfigMap({namespace: 'default', name: 'mp', body: {data: {y: null, z: '3'}}},
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
    expect(merged.data).toEqual({x: '1', z: '3'})
    const apps = kc.makeApiClient(k8s.AppsV1Api)
    await apps.createNamespacedDeployment({namespace: 'default', body: {
      metadata: {name: 'web'}, spec: {selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}},
        spec: {containers: [{name: 'a', image: 'nginx'}, {name: 'b', image: 'busybox'}]}}},
    }})
    const smp = await apps.patchNamespacedDeployment({namespace: 'default', name: 'web', body: {spec: {template: {spec: {containers: [{name: 'b', image: 'busybox:2'}]}}}}},
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch))
    expect(smp.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(['a=nginx', 'b=busybox:2'])
    expect(smp.metadata?.generation).toBe(2)
  })

  it('serves discovery and answers unknown paths with a Status', async () => {
    const res = await fetchJson('/apis')
    expect(res.body.groups.map((g: any) => g.name)).toEqual(expect.arrayContaining(['apps', 'networking.istio.io', 'metaprotocol.aeraki.io', 'apiextensions.k8s.io']))
    const istio = res.body.groups.find((g: any) => g.name === 'networking.istio.io')
    expect(istio.versions.map((v: any) => v.version).sort()).toEqual(['v1alpha3', 'v1beta1'])
    const mp = await fetchJson('/apis/metaprotocol.aeraki.io/v1alpha1')
    expect(mp.body.resources.map((r: any) => `${r.name}:${r.namespaced}`)).toEqual(expect.arrayContaining(['metarouters:true', 'applicationprotocols:false']))
    const unknown = await fetchJson('/apis/nothing.example/v1/things')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({kind: 'Status', code: 404, reason: 'NotFound'})
  })

  it('prints pods as a server-side Table with READY and STATUS', async () => {
    const res = await fetchJson('/api/v1/namespaces/istio-system/pods', {accept: 'application/json;as=Table;v=v1;g=meta.k8s.io'})
    expect(res.body.kind).toBe('Table')
    expect(res.body.columnDefinitions.slice(0, 5).map((c: any) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age'])
    expect(res.body.rows[0].cells.slice(1, 3)).toEqual(['1/1', 'Running'])
    expect(res.body.rows[0].object.kind).toBe('PartialObjectMetadata')
  })

  it('ignores status in create requests, as the API server does for types with a status subresource', async () => {
    const created = await core.createNamespacedPod({namespace: 'default', body: {metadata: {name: 'exported'}, spec: {containers: [{name: 'a', image: 'example/a'}]}, status: {phase: 'Succeeded', podIP: '1.2.3.4'}}})
    expect(created.status?.phase).not.toBe('Succeeded')
    const running = await eventually(async () => { const p = await core.readNamespacedPod({namespace: 'default', name: 'exported'}); return p.status?.phase === 'Running' ? p : undefined })
    expect(running.status?.podIP).toMatch(/^10\.244\./)
  })

  it('pages lists with limit/continue', async () => {
    for (let i = 0; i < 5; i++) await core.createNamespacedConfigMap({namespace: 'kube-public', body: {metadata: {name: `p${i}`}}})
    const first = await core.listNamespacedConfigMap({namespace: 'kube-public', limit: 3})
    expect(first.items).toHaveLength(3)
    expect(first.metadata?._continue).toBeTruthy()
    const rest = await core.listNamespacedConfigMap({namespace: 'kube-public', limit: 3, _continue: first.metadata?._continue})
    expect(rest.items.map((c) => c.metadata?.name)).toEqual(['p3', 'p4'])
  })
})

async function fetchJson(path: string, headers: Record<string, string> = {}): Promise<{status: number; body: any}> {
  const https = await import('node:https')
  return new Promise((resolve, reject) => {
    const req = https.request(`${emu.url}${path}`, {ca: emu.caPem, headers: {authorization: `Bearer ${emu.token}`, ...headers}}, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body: JSON.parse(text)}))
    })
    req.on('error', reject)
    req.end()
  })
}
