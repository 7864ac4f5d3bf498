// install/uninstall as a library against the in-process emulator, over real sockets through client-node.
import {afterEach, describe, expect, it} from 'vitest'
import {connect} from '../../../src/lib/cluster/connect.js'
import {clientNodeOps, type ClusterOps} from '../../../src/lib/install/cluster-ops.js'
import {runInstall, type InstallOptions} from '../../../src/lib/install/install.js'
import {renderInstallReport} from '../../../src/lib/install/report.js'
import {openUninstall} from '../../../src/lib/install/uninstall.js'
import {ProgressModel} from '../../../src/lib/install/progress/model.js'
import {KubeError} from '../../../src/lib/kube/errors.js'
import {startPlaygroundWithDemo, type Playground} from '../../support/playground.js'
import {contentSnapshot, demoNamespaces, objectsIn, settled, snapshot} from './helpers.js'
import {until} from '../../support/wait.js'

let pg: Playground | undefined
afterEach(async () => {
  await pg?.close()
  pg = undefined
})

const options = (kubeconfig: string, o: Partial<InstallOptions> = {}): InstallOptions =>
  ({demo: 'thrift', cluster: {kubeconfig}, dryRun: false, wait: true, timeoutMs: 30_000, progress: new ProgressModel(), ...o})

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a failure')
}

/** Real ops against the emulator, with hooks around apply. */
async function wrappedOps(kubeconfig: string, hook: (obj: any, dryRun: boolean, real: ClusterOps) => Promise<any>): Promise<{ops: ClusterOps; close(): void}> {
  const conn = await connect({kubeconfig})
  const real = await clientNodeOps(conn)
  return {ops: {...real, where: real.where, apply: (obj, dryRun) => hook(obj, dryRun, real)}, close: () => conn.close()}
}

describe('install demo (library)', () => {
  it('installs thrift to ready, then a second run changes nothing', async () => {
    pg = await startPlaygroundWithDemo({demo: []})
    const r = await runInstall(options(pg.kubeconfig))
    expect(r).toMatchObject({ready: true, waited: true, timedOut: false, interrupted: false})
    expect(r.objects.map(o => o.action)).toEqual(Array(9).fill('create'))
    expect(r.deployments.map(d => d.name).sort()).toEqual(['rate-limit-server', 'thrift-sample-client', 'thrift-sample-server-v1', 'thrift-sample-server-v2'])
    const ns = objectsIn(pg.emu, '', 'namespaces').find(n => n.metadata?.name === 'meta-thrift')!
    expect(ns.metadata?.labels?.['istio-injection']).toBe('enabled')
    expect((ns.metadata as any).managedFields.map((f: any) => f.manager)).toContain('aerakictl')

    await settled(pg.emu)
    const before = contentSnapshot(pg.emu)
    const again = await runInstall(options(pg.kubeconfig))
    expect(again.objects.map(o => o.action)).toEqual(Array(9).fill('unchanged'))
    expect(again.ready).toBe(true)
    expect(contentSnapshot(pg.emu)).toEqual(before)
    expect(renderInstallReport(again, false)).toContain('✔ No changes: the demo (thrift in meta-thrift) was already applied and every Deployment is available.')
  })

  it('--dry-run writes nothing and says what would be created', async () => {
    pg = await startPlaygroundWithDemo({demo: []})
    await settled(pg.emu)
    const before = snapshot(pg.emu)
    const r = await runInstall(options(pg.kubeconfig, {demo: 'all', dryRun: true}))
    expect(snapshot(pg.emu)).toEqual(before)
    expect(r.objects).toHaveLength(21)
    expect(r.objects.every(o => o.action === 'create')).toBe(true)
    expect(r.deferredDryRun).toBe(19) // all but the two namespaces need their namespace to exist first
    expect(renderInstallReport(r, false)).toContain('Namespace meta-dubbo                                would be created')
  })

  it('without the CRDs it stops before any write and says to install Istio and Aeraki first', async () => {
    pg = await startPlaygroundWithDemo({bare: true})
    await settled(pg.emu)
    const before = snapshot(pg.emu)
    const err = await failure(runInstall(options(pg.kubeconfig, {demo: 'all'})))
    expect(err).toBeInstanceOf(KubeError)
    expect(err.message).toContain('does not serve MetaRouter (metarouters.metaprotocol.aeraki.io/v1alpha1), DestinationRule (destinationrules.networking.istio.io/v1alpha3), ServiceEntry')
    expect(err.message).toContain('The demo needs Istio and Aeraki installed first')
    expect(err.message).toContain('Nothing was applied.')
    expect(snapshot(pg.emu)).toEqual(before)
  })

  it('a 403 on one resource names it and nothing is applied', async () => {
    // The limited user may do anything inside meta-thrift, but not patch the Namespace object itself.
    pg = await startPlaygroundWithDemo({demo: [], limitedNamespaces: ['meta-thrift']})
    pg.emu.state.cluster.create(pg.emu.state.cluster.type('', 'namespaces'), undefined, {metadata: {name: 'meta-thrift'}})
    await settled(pg.emu)
    const before = snapshot(pg.emu)
    const err = await failure(runInstall(options(pg.limitedKubeconfig)))
    expect(err).toBeInstanceOf(KubeError)
    expect(err.message.split('\n').filter(l => l.startsWith('  cannot'))).toEqual(['  cannot patch namespaces at cluster scope ("meta-thrift")'])
    expect(err.message).toContain('Nothing was applied.')
    expect(snapshot(pg.emu)).toEqual(before)
  })

  it('a failed dry run in a new namespace rolls the namespace back', async () => {
    pg = await startPlaygroundWithDemo({demo: []})
    const {ops, close} = await wrappedOps(pg.kubeconfig, async (obj, dryRun, real) => {
      if (dryRun && obj.metadata?.name === 'thrift-sample-client') throw new KubeError('invalid', 'the API server refused to patch deployments "thrift-sample-client" in meta-thrift: spec.template: Invalid value', 422)
      return real.apply(obj, dryRun)
    })
    try {
      const progress = new ProgressModel()
      const err = await failure(runInstall(options(pg.kubeconfig, {ops, progress})))
      expect(err.message).toContain('the server-side dry run of Deployment meta-thrift/thrift-sample-client failed')
      expect(progress.get('meta-thrift/namespace')).toMatchObject({status: 'failed', detail: 'created, then removed again (the error follows)'})
      expect(err.message).toContain('Removed the namespaces this run had created (meta-thrift): nothing was applied.')
      expect(demoNamespaces(pg.emu)).toEqual([])
    } finally {
      close()
    }
  })

  it('a write that fails after the dry run passed says what was applied before it', async () => {
    pg = await startPlaygroundWithDemo({demo: []})
    const {ops, close} = await wrappedOps(pg.kubeconfig, async (obj, dryRun, real) => {
      if (!dryRun && obj.kind === 'Service') throw new KubeError('server', 'the API server answered 500 when trying to patch services "thrift-sample-server" in meta-thrift: etcd timeout', 500)
      return real.apply(obj, dryRun)
    })
    try {
      const err = await failure(runInstall(options(pg.kubeconfig, {ops})))
      expect(err.message).toBe([
        'applying Service meta-thrift/thrift-sample-server failed: the API server answered 500 when trying to patch services "thrift-sample-server" in meta-thrift: etcd timeout',
        '4 object(s) were applied before it: Namespace meta-thrift, Deployment meta-thrift/thrift-sample-server-v1, Deployment meta-thrift/thrift-sample-server-v2, Deployment meta-thrift/thrift-sample-client. Fix the cause and run it again (it changes only what differs), or remove the demo with: aerakictl uninstall demo',
      ].join('\n'))
    } finally {
      close()
    }
  })

  it('Ctrl-C between writes stops, and the result says what was applied', async () => {
    pg = await startPlaygroundWithDemo({demo: []})
    const ctl = new AbortController()
    let writes = 0
    const {ops, close} = await wrappedOps(pg.kubeconfig, async (obj, dryRun, real) => {
      const out = await real.apply(obj, dryRun)
      if (!dryRun && ++writes === 3) ctl.abort() // as if Ctrl-C arrived during the third write
      return out
    })
    try {
      const r = await runInstall(options(pg.kubeconfig, {ops, signal: ctl.signal}))
      expect(r.interrupted).toBe(true)
      const applied = r.objects.filter(o => o.action !== 'not applied').map(o => o.resource)
      expect(applied).toEqual(['Namespace meta-thrift', 'Deployment meta-thrift/thrift-sample-server-v1', 'Deployment meta-thrift/thrift-sample-server-v2'])
      expect(objectsIn(pg.emu, 'apps', 'deployments', 'meta-thrift').map(d => d.metadata!.name).sort()).toEqual(['thrift-sample-server-v1', 'thrift-sample-server-v2'])
      expect(objectsIn(pg.emu, '', 'services', 'meta-thrift')).toEqual([])
      expect(renderInstallReport(r, false)).toContain('✘ Interrupted (Ctrl-C): applied 3 of 9 objects: Namespace meta-thrift (created), Deployment meta-thrift/thrift-sample-server-v1 (created), Deployment meta-thrift/thrift-sample-server-v2 (created); not applied: 6.')
    } finally {
      close()
    }
  })

  it('an image that cannot be pulled is named with its pod, and the install is not ready', async () => {
    pg = await startPlaygroundWithDemo({demo: []})
    pg.emu.faults.failImage('envoyproxy/ratelimit')
    const r = await runInstall(options(pg.kubeconfig, {wait: false}))
    expect(r.waited).toBe(false)
    // Once the emulator reports the back-off, a second run waits and names it.
    const backingOff = () => objectsIn(pg!.emu, '', 'pods', 'meta-thrift').some(p => (p.status as any)?.containerStatuses?.some((c: any) => c.state?.waiting?.reason === 'ImagePullBackOff'))
    await until(backingOff, 'both server pods in ImagePullBackOff')
    const again = await runInstall(options(pg.kubeconfig, {timeoutMs: 1000}))
    expect(again).toMatchObject({ready: false, timedOut: true})
    const stuck = again.deployments.filter(d => !d.ready)
    expect(stuck.map(d => d.name)).toEqual(['rate-limit-server'])
    expect(stuck[0].problems[0]).toMatch(/^pod rate-limit-server-\w+-\w+: ImagePullBackOff: image "envoyproxy\/ratelimit:master" of container rate-limit-server cannot be pulled \(Failed to pull image "envoyproxy\/ratelimit:master": /)
    const report = renderInstallReport(again, false)
    expect(report).toContain('✘ meta-thrift rate-limit server  unchanged, 0/1 Deployments available')
    expect(report).toContain('✔ meta-thrift deployments        unchanged, 3/3 Deployments available')
    expect(report).toContain('✘ Not ready after 1s (--timeout): 1 of 4 Deployments not available')
  })

  it('a Pending pod is named with the event message that explains it', async () => {
    pg = await startPlaygroundWithDemo({demo: [], podStartDelayMs: 600_000}) // pods stay Pending
    await runInstall(options(pg.kubeconfig, {wait: false}))
    const client = objectsIn(pg.emu, '', 'pods', 'meta-thrift').find(p => p.metadata!.name!.startsWith('thrift-sample-client-'))!
    pg.emu.state.cluster.recordEvent(client, 'FailedScheduling', '0/1 nodes are available: 1 Insufficient memory.', 'Warning', 'default-scheduler')
    const r = await runInstall(options(pg.kubeconfig, {timeoutMs: 500}))
    expect(r.ready).toBe(false)
    const report = renderInstallReport(r, false)
    expect(report).toContain(`    Deployment thrift-sample-client: 0/1 available\n      pod ${client.metadata!.name}: Pending: 0/1 nodes are available: 1 Insufficient memory.\n`)
    expect(report).toMatch(/pod thrift-sample-server-v1-\w+-\w+: Pending: ContainerCreating/)
  })
})

describe('install demo over what is already there (library)', () => {
  it('objects applied before by another manager with the same values are unchanged, without a conflict', async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift']}) // applied by the field manager "test-setup"
    const r = await runInstall(options(pg.kubeconfig))
    expect(r.objects.map(o => o.action)).toEqual(Array(9).fill('unchanged'))
    expect(r.ready).toBe(true)
  })

  it('a field another manager set to another value is a conflict in the dry run (nothing applied) until --force-conflicts', async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift']})
    const c = pg.emu.state.cluster
    c.patch(c.type('apps', 'deployments'), 'meta-thrift', 'thrift-sample-client', 'apply',
      {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'thrift-sample-client', namespace: 'meta-thrift'}, spec: {replicas: 2}}, {manager: 'autoscaler', force: true})
    await settled(pg.emu)
    const before = snapshot(pg.emu)
    const err = await failure(runInstall(options(pg.kubeconfig)))
    expect(err.message).toContain('the server-side dry run of Deployment meta-thrift/thrift-sample-client failed: conflict')
    expect(err.message).toContain('conflict with "autoscaler"')
    expect(err.message).toContain('take them over with --force-conflicts, or remove the demo (aerakictl uninstall demo) and install it again')
    expect(snapshot(pg.emu)).toEqual(before)
    // --force-conflicts takes the field back.
    const r = await runInstall(options(pg.kubeconfig, {forceConflicts: true}))
    expect(r.objects.find(o => o.resource === 'Deployment meta-thrift/thrift-sample-client')?.action).toBe('configure')
    expect((c.find(c.type('apps', 'deployments'), 'meta-thrift', 'thrift-sample-client')!.spec as any).replicas).toBe(1)
  })

  it('a namespace still terminating stops it before any write', async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift']})
    const c = pg.emu.state.cluster
    const t = c.type('', 'namespaces')
    const ns = structuredClone(c.find(t, undefined, 'meta-thrift')!)
    c.store.put(t, {...ns, metadata: {...ns.metadata, deletionTimestamp: new Date().toISOString()}, status: {phase: 'Terminating'}})
    await settled(pg.emu)
    const before = snapshot(pg.emu)
    const err = await failure(runInstall(options(pg.kubeconfig)))
    expect(err.message).toBe('namespace meta-thrift is being deleted (Terminating): wait until it is gone (aerakictl uninstall demo waits for that), then run this again. Nothing was applied.')
    expect(snapshot(pg.emu)).toEqual(before)
  })
})

describe('uninstall demo (library)', () => {
  it('deletes the demo namespaces and waits until they are gone', async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift', 'dubbo']})
    expect(demoNamespaces(pg.emu).sort()).toEqual(['meta-dubbo', 'meta-thrift'])
    const session = await openUninstall({demo: 'all', cluster: {kubeconfig: pg.kubeconfig}})
    try {
      expect(session.namespaces.map(n => [n.name, n.exists])).toEqual([['meta-thrift', true], ['meta-dubbo', true]])
      const r = await session.remove({timeoutMs: 30_000, progress: new ProgressModel()})
      expect(r.namespaces.map(n => n.outcome)).toEqual(['deleted', 'deleted'])
    } finally {
      session.close()
    }
    expect(demoNamespaces(pg.emu)).toEqual([])
    expect(objectsIn(pg.emu, 'apps', 'deployments').filter(d => d.metadata?.namespace?.startsWith('meta-'))).toEqual([])
  })

  it('refuses before deleting anything when the user may not delete a namespace', async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift'], limitedNamespaces: ['meta-thrift']})
    const err = await failure(openUninstall({demo: 'thrift', cluster: {kubeconfig: pg.limitedKubeconfig}}))
    expect(err.message).toContain('cannot delete namespaces "meta-thrift"')
    expect(demoNamespaces(pg.emu)).toEqual(['meta-thrift'])
  })
})
