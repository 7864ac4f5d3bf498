import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import * as yaml from 'js-yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startEmulator, type Emulator} from '../../../src/lib/emulator/index.js'
import {applyObject, canI, deleteObject, getObject, KubeClient, KubeError, listObjects} from '../../../src/lib/kube/index.js'
import type {KubeObject} from '../../../src/lib/resources/types.js'

const demoDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/upstream/aeraki/demo/metaprotocol-thrift')
let emu: Emulator
let dir: string
let kube: KubeClient

beforeAll(async () => {
  emu = await startEmulator({podStartDelayMs: 10})
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-objects-'))
  writeFileSync(join(dir, 'config'), emu.kubeconfigYaml({namespace: 'meta-thrift'}))
  kube = KubeClient.create({kubeconfig: join(dir, 'config')})
})
afterAll(async () => { kube.close(); await emu.close(); rmSync(dir, {recursive: true, force: true}) })

describe.skipIf(!existsSync(join(demoDir, 'thrift-sample.yaml')))('object access through discovery', () => {
  it('server-side applies the demo manifests (created, then unchanged-but-200), defaulting the namespace', async () => {
    await applyObject(kube, {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'meta-thrift', labels: {'istio-injection': 'enabled'}}})
    const docs = ['thrift-sample.yaml', 'destinationrule.yaml', 'metarouter-v1.yaml'].flatMap((f) => (yaml.loadAll(readFileSync(join(demoDir, f), 'utf8')) as KubeObject[]).filter((d) => d?.kind))
    const first = await Promise.all(docs.map((d) => applyObject(kube, d)))
    expect(first.map((r) => `${r.resource.plural}/${r.object.metadata?.name}:${r.created}`)).toEqual([
      'deployments/thrift-sample-server-v1:true', 'deployments/thrift-sample-server-v2:true', 'deployments/thrift-sample-client:true',
      'services/thrift-sample-server:true', 'destinationrules/thrift-sample-server:true', 'metarouters/test-metaprotocol-thrift-route:true',
    ])
    expect(first.every((r) => r.object.metadata?.namespace === 'meta-thrift')).toBe(true)
    const again = await applyObject(kube, docs[5])
    expect(again.created).toBe(false)
    const mrs = await listObjects(kube, 'metaprotocol.aeraki.io/v1alpha1', 'MetaRouter')
    expect(mrs.map((m) => m.metadata?.name)).toEqual(['test-metaprotocol-thrift-route'])
    const dr = await getObject(kube, 'networking.istio.io/v1alpha3', 'DestinationRule', 'thrift-sample-server')
    expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2'])
  })

  it('reports a field conflict with another manager, and applies with force', async () => {
    const mr = {apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'test-metaprotocol-thrift-route'},
      spec: {hosts: ['thrift-sample-server.meta-thrift.svc.cluster.local'], routes: [{name: 'v1', match: {attributes: {method: {exact: 'sayHello'}}}, route: [{destination: {host: 'thrift-sample-server.meta-thrift.svc.cluster.local', subset: 'v2'}}]}]}}
    const e = await applyObject(kube, mr, {fieldManager: 'someone-else'}).catch((x) => x)
    expect(e).toBeInstanceOf(KubeError)
    expect(e.kind).toBe('conflict')
    expect(e.message).toMatch(/^conflict when trying to patch metarouters\.metaprotocol\.aeraki\.io "test-metaprotocol-thrift-route" in meta-thrift: Apply failed with 1 conflict: conflict with "aerakictl" using metaprotocol\.aeraki\.io\/v1alpha1: \.spec\.routes/)
    const forced = await applyObject(kube, mr, {fieldManager: 'someone-else', force: true})
    expect(forced.object.spec.routes[0].route[0].destination.subset).toBe('v2')
  })

  it('explains a kind the cluster does not serve', async () => {
    const e = await applyObject(kube, {apiVersion: 'redis.aeraki.io/v1alpha1', kind: 'RedisService', metadata: {name: 'r'}}).catch((x) => x)
    expect(e.message).toBe('the cluster does not serve redis.aeraki.io/v1alpha1 (needed for RedisService); is the CRD installed?')
  })

  it('deletes (true), then reports absence (false)', async () => {
    expect(await deleteObject(kube, 'metaprotocol.aeraki.io/v1alpha1', 'MetaRouter', 'test-metaprotocol-thrift-route')).toBe(true)
    expect(await deleteObject(kube, 'metaprotocol.aeraki.io/v1alpha1', 'MetaRouter', 'test-metaprotocol-thrift-route')).toBe(false)
  })

  it('canI answers from a SelfSubjectAccessReview', async () => {
    expect(await canI(kube, {verb: 'create', resource: 'metarouters', group: 'metaprotocol.aeraki.io', namespace: 'meta-thrift'})).toBe(true)
    writeFileSync(join(dir, 'limited'), emu.kubeconfigYaml({token: emu.limitedToken}))
    const limited = KubeClient.create({kubeconfig: join(dir, 'limited')})
    expect(await canI(limited, {verb: 'create', resource: 'metarouters', group: 'metaprotocol.aeraki.io', namespace: 'meta-thrift'})).toBe(false)
    expect(await canI(limited, {verb: 'get', resource: 'pods', namespace: 'default'})).toBe(true)
    limited.close()
  })
})
