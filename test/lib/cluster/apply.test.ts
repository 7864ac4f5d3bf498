// The one server-side-apply path (install and apply): resource names from the table or discovery (never kind+"s"),
// field manager aerakictl, 403s that name the real resource.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FIELD_MANAGER, knownPlural, readLive, resourceOf, serverSideApply} from '../../../src/lib/cluster/apply.js'
import {connect, type ClusterConnection} from '../../../src/lib/cluster/connect.js'
import {KubeError} from '../../../src/lib/kube/errors.js'
import {startEmulator, type Emulator} from '../../support/emulator.js'

const SE = {
  apiVersion: 'networking.istio.io/v1alpha3', kind: 'ServiceEntry',
  metadata: {name: 'dubbo-demoservice', namespace: 'meta-dubbo'},
  spec: {hosts: ['org.apache.dubbo.samples.basic.api.demoservice'], ports: [{number: 20880, name: 'tcp-metaprotocol-dubbo', protocol: 'TCP'}], resolution: 'STATIC'},
}

let emu: Emulator
let dir: string
let admin: ClusterConnection
let limited: ClusterConnection

beforeAll(async () => {
  emu = await startEmulator({speed: 20})
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-ssa-'))
  writeFileSync(join(dir, 'admin'), emu.kubeconfigYaml())
  writeFileSync(join(dir, 'limited'), emu.kubeconfigYaml({token: emu.limitedToken}))
  admin = await connect({kubeconfig: join(dir, 'admin')})
  limited = await connect({kubeconfig: join(dir, 'limited')})
  emu.state.cluster.create(emu.state.cluster.type('', 'namespaces'), undefined, {metadata: {name: 'meta-dubbo'}})
})
afterAll(async () => {
  admin?.close()
  limited?.close()
  await emu?.close()
  rmSync(dir, {recursive: true, force: true})
})

describe('resource names', () => {
  it('knows the plurals of the kinds aerakictl writes, irregular ones included', () => {
    expect(knownPlural('networking.istio.io/v1alpha3', 'ServiceEntry')).toBe('serviceentries')
    expect(knownPlural('v1', 'Endpoints')).toBe('endpoints')
    expect(knownPlural('metaprotocol.aeraki.io/v1alpha1', 'MetaRouter')).toBe('metarouters')
    expect(knownPlural('example.com/v1', 'Widget')).toBeUndefined()
  })
  it('qualifies by group, and asks discovery for kinds outside the table', async () => {
    expect(await resourceOf(admin, SE)).toBe('serviceentries.networking.istio.io')
    expect(await resourceOf(admin, {apiVersion: 'apps/v1', kind: 'Deployment'})).toBe('deployments.apps')
    expect(await resourceOf(admin, {apiVersion: 'v1', kind: 'Node'})).toBe('nodes')
    expect(await resourceOf(admin, {apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition'})).toBe('customresourcedefinitions.apiextensions.k8s.io')
  })
})

describe('serverSideApply', () => {
  it('a 403 names serviceentries.networking.istio.io, the namespace and the verb', async () => {
    const e = await serverSideApply(limited, SE, {dryRun: false, force: false}).catch((x) => x)
    expect(e).toBeInstanceOf(KubeError)
    expect(e.kind).toBe('forbidden')
    expect(e.message).toContain('serviceentries.networking.istio.io')
    expect(e.message).toContain('meta-dubbo')
    expect(e.message).not.toContain('serviceentrys')
    expect(await readLive(admin, SE)).toBeUndefined()
  })
  it('a dry run writes nothing; the apply is owned by field manager aerakictl', async () => {
    await serverSideApply(admin, SE, {dryRun: true, force: false})
    expect(await readLive(admin, SE)).toBeUndefined()
    const out = await serverSideApply(admin, SE, {dryRun: false, force: false})
    expect(out.metadata?.name).toBe('dubbo-demoservice')
    const live = await readLive(admin, SE)
    expect((live?.metadata as any).managedFields.map((m: any) => `${m.manager}/${m.operation}`)).toEqual([`${FIELD_MANAGER}/Apply`])
  })
  it('a conflict with another manager says how to take the fields over', async () => {
    const other = {...SE, spec: {...SE.spec, resolution: 'DNS'}}
    const {PatchStrategy} = await import('@kubernetes/client-node')
    await (await admin.objects()).patch(other as any, undefined, undefined, 'someone-else', true, PatchStrategy.ServerSideApply)
    const e = await serverSideApply(admin, SE, {dryRun: false, force: false}).catch((x) => x)
    expect(e.kind).toBe('conflict')
    expect(e.message).toMatch(/re-run with --force-conflicts to take them over$/)
    await serverSideApply(admin, SE, {dryRun: false, force: true})
    expect((await readLive(admin, SE))?.spec.resolution).toBe('STATIC')
  })
})
