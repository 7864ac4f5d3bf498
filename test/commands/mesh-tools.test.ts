// The bash aerakictl functions beyond sidecar-config, as aerakictl commands against the in-process emulator (the
// playground): each row of the README's table runs here with real kubeconfigs, port-forward and exec.
import * as k8s from '@kubernetes/client-node'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {until} from '../support/wait.js'
import {startLiveCluster, type LiveCluster} from '../lib/sidecar/live-cluster.js'

const eventually = <T>(fn: () => Promise<T | undefined> | T | undefined, ms = 20_000) => until(async () => await Promise.resolve(fn()).catch(() => undefined), 'condition', ms)

describe('mesh toolkit commands (emulator)', () => {
  let live: LiveCluster
  let kc: string[]
  beforeAll(async () => {
    live = await startLiveCluster()
    kc = ['--kubeconfig', live.kubeconfig]
  })
  afterAll(async () => { await live?.close() })

  it('sidecar admin GETs any admin path, names the pod and the way, and needs --post for mutating paths', async () => {
    const r = await runCli(['sidecar', 'admin', 'client', 'meta-thrift', 'server_info', ...kc])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).state).toBe('LIVE')
    expect(r.stderr).toMatch(new RegExp(`Read /server_info of meta-thrift/${live.clientPod} \\(container istio-proxy\\) via port-forward to port 15000`))
    const bad = await runCli(['sidecar', 'admin', 'client', 'meta-thrift', 'no_such_page', ...kc])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/Envoy answered 404: invalid path: \/no_such_page/)
    const post = await runCli(['sidecar', 'admin', 'client', 'meta-thrift', 'logging?level=debug', ...kc])
    expect(post.code).toBe(2)
    expect(post.stderr).toMatch(/changes the proxy: Envoy takes it only as a POST; add --post/)
    const unconfirmed = await runCli(['sidecar', 'admin', 'client', 'meta-thrift', 'logging?level=debug', '--post', ...kc])
    expect(unconfirmed.code).toBe(2)
    expect(unconfirmed.stderr).toMatch(/refusing to POST without confirmation: stdin is not a terminal; pass --yes/)
  })

  it('sidecar log tails istio-proxy of the matching pod', async () => {
    const r = await runCli(['sidecar', 'log', 'client', 'meta-thrift', '--tail', '5', ...kc])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^${live.clientPod} .*Envoy proxy is ready$`, 'm'))
  })

  it('restart APP NS patches the Deployment template like kubectl rollout restart, and new pods replace the old', async () => {
    const r = await runCli(['restart', 'server-v1', 'meta-thrift', ...kc])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^deployment\.apps\/thrift-sample-server-v1 restarted \(meta-thrift, restartedAt \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/m)
    const apps = live.kc.makeApiClient(k8s.AppsV1Api)
    const d = await apps.readNamespacedDeployment({namespace: 'meta-thrift', name: 'thrift-sample-server-v1'})
    expect(d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/Z$/)
    const core = live.kc.makeApiClient(k8s.CoreV1Api)
    const hash = await eventually(async () => (await apps.listNamespacedReplicaSet({namespace: 'meta-thrift'})).items
      .find((rs) => rs.metadata?.ownerReferences?.[0]?.name === 'thrift-sample-server-v1' && rs.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'])?.metadata?.labels?.['pod-template-hash'])
    await eventually(async () => (await core.listNamespacedPod({namespace: 'meta-thrift', labelSelector: 'app=thrift-sample-server,version=v1'})).items
      .every((p) => p.metadata?.labels?.['pod-template-hash'] === hash) || undefined)
  })

  it('restart --force deletes with grace period 0 only after confirmation (--yes)', async () => {
    const refused = await runCli(['restart', 'server-v2', 'meta-thrift', '--force', ...kc])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/refusing to force-delete pods without confirmation/)
    const core = live.kc.makeApiClient(k8s.CoreV1Api)
    const before = (await core.listNamespacedPod({namespace: 'meta-thrift', labelSelector: 'version=v2'})).items.map((p) => p.metadata!.name!)
    const r = await runCli(['restart', 'server-v2', 'meta-thrift', '--force', '--yes', ...kc])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`Deleted pod/${before[0]} in meta-thrift (grace period 0); deployment/thrift-sample-server-v2 will create new ones.`)
    await eventually(async () => {
      const now = (await core.listNamespacedPod({namespace: 'meta-thrift', labelSelector: 'version=v2'})).items
      return now.length > 0 && now.every((p) => !before.includes(p.metadata!.name!)) || undefined
    })
  })

  it('restart istiod restarts the istiod Deployment in istio-system', async () => {
    const r = await runCli(['restart', 'istiod', ...kc])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^deployment\.apps\/istiod restarted \(istio-system, restartedAt /m)
  })

  it('istiod debug lists the endpoints when none is given', async () => {
    const r = await runCli(['istiod', 'debug'])
    expect(r.code).toBe(0)
    for (const e of ['configz', 'registryz', 'endpointz', 'instancesz', 'adsz', 'syncz']) expect(r.stdout).toMatch(new RegExp(`^/debug/${e}\\s`, 'm'))
  })
})
