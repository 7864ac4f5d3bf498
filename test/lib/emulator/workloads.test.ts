// Deployments, image-pull failures, and the Dubbo demo routed through ServiceEntry + DestinationRule.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import * as k8s from '@kubernetes/client-node'
import * as yaml from 'js-yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Emulator} from '../../support/emulator.js'
import {apiError, eventually, withEmulator} from './helpers.js'
import {DUBBO_DEMO} from '../../support/demo.js'
import {ROOT} from '../../support/cli.js'

let emu: Emulator
let kc: k8s.KubeConfig
let core: k8s.CoreV1Api
let apps: k8s.AppsV1Api

beforeAll(async () => {
  ;({emu, kc} = await withEmulator({speed: 25}))
  core = kc.makeApiClient(k8s.CoreV1Api)
  apps = kc.makeApiClient(k8s.AppsV1Api)
})
afterAll(() => emu.close())

const deployment = (name: string, image: string, replicas = 1): k8s.V1Deployment => ({
  metadata: {name}, spec: {replicas, selector: {matchLabels: {app: name}}, template: {metadata: {labels: {app: name}}, spec: {containers: [{name, image}]}}},
})

describe('deployments', () => {
  it('create a ReplicaSet and pods, report status, scale, and roll out a new template', async () => {
    await apps.createNamespacedDeployment({namespace: 'default', body: deployment('web', 'example/web:1', 2)})
    const d = await eventually(async () => { const x = await apps.readNamespacedDeployment({namespace: 'default', name: 'web'}); return x.status?.readyReplicas === 2 ? x : undefined })
    expect(d.status).toMatchObject({replicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 1})
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('True')
    const rs = (await apps.listNamespacedReplicaSet({namespace: 'default'})).items.filter((r) => r.metadata?.name?.startsWith('web-'))
    expect(rs).toHaveLength(1)
    const hash = rs[0].metadata!.labels!['pod-template-hash']
    expect(rs[0].metadata?.name).toBe(`web-${hash}`)
    const pods = (await core.listNamespacedPod({namespace: 'default', labelSelector: 'app=web'})).items
    expect(pods.map((p) => p.metadata?.name)).toEqual([expect.stringMatching(new RegExp(`^web-${hash}-[a-z0-9]{5}$`)), expect.stringMatching(new RegExp(`^web-${hash}-[a-z0-9]{5}$`))])
    expect(new Set(pods.map((p) => p.status?.podIP)).size).toBe(2)

    await apps.patchNamespacedDeployment({namespace: 'default', name: 'web', body: {spec: {replicas: 1, template: {spec: {containers: [{name: 'web', image: 'example/web:2'}]}}}}},
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch))
    await eventually(async () => {
      const ps = (await core.listNamespacedPod({namespace: 'default', labelSelector: 'app=web'})).items
      return ps.length === 1 && ps[0].spec?.containers[0].image === 'example/web:2' && ps[0].status?.phase === 'Running'
    })
    const sets = (await apps.listNamespacedReplicaSet({namespace: 'default'})).items.filter((r) => r.metadata?.name?.startsWith('web-'))
    expect(sets.map((r) => r.spec?.replicas).sort()).toEqual([0, 1])
  })

  it('deleting a deployment removes its ReplicaSets and pods', async () => {
    await apps.deleteNamespacedDeployment({namespace: 'default', name: 'web'})
    expect((await core.listNamespacedPod({namespace: 'default', labelSelector: 'app=web'})).items).toEqual([])
    expect((await apps.listNamespacedReplicaSet({namespace: 'default'})).items.filter((r) => r.metadata?.name?.startsWith('web-'))).toEqual([])
  })

  it('fault: an image that fails to pull leaves the pod in ImagePullBackOff with events and a clear log error', async () => {
    emu.faults.failImage('example/broken')
    await apps.createNamespacedDeployment({namespace: 'default', body: deployment('broken', 'example/broken:1')})
    const pod = await eventually(async () => (await core.listNamespacedPod({namespace: 'default', labelSelector: 'app=broken'}))
      .items.find((p) => p.status?.containerStatuses?.[0].state?.waiting?.reason === 'ImagePullBackOff'))
    expect(pod.status?.phase).toBe('Pending')
    const events = (await core.listNamespacedEvent({namespace: 'default', fieldSelector: `involvedObject.name=${pod.metadata!.name}`})).items
    expect(events.map((e) => e.message)).toEqual(expect.arrayContaining(['Error: ImagePullBackOff', expect.stringMatching(/^Failed to pull image "example\/broken:1"/)]))
    const e = await core.readNamespacedPodLog({namespace: 'default', name: pod.metadata!.name!}).catch((x) => x)
    expect(apiError(e).body.message).toBe(`container "broken" in pod "${pod.metadata!.name}" is waiting to start: trying and failing to pull image`)
    const d = await apps.readNamespacedDeployment({namespace: 'default', name: 'broken'})
    expect(d.status?.conditions?.find((c) => c.type === 'Available')?.status).toBe('False')
  })
})

const dubboDir = DUBBO_DEMO
describe('the Dubbo demo', () => {
  it('routes the consumer through the ServiceEntry, and to v1 after metarouter-v1', async () => {
    const client = k8s.KubernetesObjectApi.makeApiClient(kc)
    await core.createNamespace({body: {metadata: {name: 'meta-dubbo', labels: {'istio-injection': 'enabled'}}}})
    const apply = async (f: string) => {
      for (const doc of yaml.loadAll(readFileSync(join(dubboDir, f), 'utf8')) as any[]) {
        if (!doc?.kind) continue
        doc.metadata.namespace ??= 'meta-dubbo'
        await client.patch(doc, undefined, undefined, 'test', true, k8s.PatchStrategy.ServerSideApply)
      }
    }
    for (const f of ['dubbo-sample.yaml', 'serviceentry.yaml', 'destinationrule.yaml']) await apply(f)
    const consumer = await eventually(async () => (await core.listNamespacedPod({namespace: 'meta-dubbo', labelSelector: 'app=dubbo-sample-consumer'}))
      .items.find((p) => p.status?.phase === 'Running'))
    const buf = emu.state.logs.buffer('meta-dubbo', consumer.metadata!.name!, 'dubbo-sample-consumer')
    const version = (l: string) => /response from dubbo-sample-provider-(v[12])-/.exec(l)?.[1]
    await eventually(() => new Set(buf.lines.map((l) => version(l.text)).filter(Boolean)).size === 2)
    // Before the first provider is ready the consumer may log "no healthy upstream"; from its first answer on, all answered.
    const first = buf.lines.findIndex((l) => version(l.text))
    expect(buf.lines.slice(first).filter((l) => !version(l.text)).map((l) => l.text)).toEqual([])
    await apply('metarouter-v1.yaml')
    const from = buf.lines.length
    await eventually(() => buf.lines.length >= from + 10)
    expect(buf.lines.slice(from).map((l) => version(l.text))).toEqual(Array(buf.lines.length - from).fill('v1'))
  })
})

// The application-level Dubbo demo is not among the demos aerakictl installs: its manifests are test data
// (test/fixtures/demo-dubbo-app-level, written from Aeraki's demo; see the README there).
const appLevelDir = join(ROOT, 'test/fixtures/demo-dubbo-app-level')
describe('the application-level Dubbo demo', () => {
  it('resolves DemoService through the consumer\'s ConfigMap to the Kubernetes Service, and routes to v1', async () => {
    const {emu: e2, kc: kc2} = await withEmulator({speed: 25})
    try {
      const client = k8s.KubernetesObjectApi.makeApiClient(kc2)
      await kc2.makeApiClient(k8s.CoreV1Api).createNamespace({body: {metadata: {name: 'meta-dubbo', labels: {'istio-injection': 'enabled'}}}})
      const apply = async (f: string) => {
        for (const doc of yaml.loadAll(readFileSync(join(appLevelDir, f), 'utf8')) as any[]) {
          if (!doc?.kind) continue
          doc.metadata.namespace ??= 'meta-dubbo'
          await client.patch(doc, undefined, undefined, 'test', true, k8s.PatchStrategy.ServerSideApply)
        }
      }
      await apply('dubbo-sample.yaml')
      await apply('destinationrule.yaml')
      const c2 = kc2.makeApiClient(k8s.CoreV1Api)
      const consumer = await eventually(async () => (await c2.listNamespacedPod({namespace: 'meta-dubbo', labelSelector: 'app=dubbo-sample-consumer'})).items.find((p) => p.status?.phase === 'Running'))
      const buf = e2.state.logs.buffer('meta-dubbo', consumer.metadata!.name!, 'dubbo-sample-consumer')
      const version = (l: string) => /response from dubbo-sample-provider-(v[12])-/.exec(l)?.[1]
      await eventually(() => new Set(buf.lines.map((l) => version(l.text)).filter(Boolean)).size === 2)
      await apply('metarouter-v1.yaml')
      const from = buf.lines.length
      await eventually(() => buf.lines.length >= from + 10)
      expect(buf.lines.slice(from).map((l) => version(l.text))).toEqual(Array(buf.lines.length - from).fill('v1'))
    } finally {
      await e2.close()
    }
  })
})
