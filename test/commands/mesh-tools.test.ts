// The bash aerakictl functions beyond sidecar-config, as aerakictl commands against the in-process emulator (the
// playground): each row of the README's table runs here with real kubeconfigs, port-forward and exec.
import {readFileSync} from 'node:fs'
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
    expect(bad.code).toBe(4) // the proxy refused: the cluster side (exit-code table)
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

  it('restart istiod and restart aeraki restart their Deployments in istio-system', async () => {
    const r = await runCli(['restart', 'istiod', ...kc])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^deployment\.apps\/istiod restarted \(istio-system, restartedAt /m)
    const aeraki = await runCli(['restart', 'aeraki', ...kc])
    expect(aeraki.code, aeraki.stderr).toBe(0)
    expect(aeraki.stdout).toMatch(/^deployment\.apps\/aeraki restarted \(istio-system, restartedAt /m)
  })

  it('istiod debug lists the endpoints when none is given', async () => {
    const r = await runCli(['istiod', 'debug'])
    expect(r.code).toBe(0)
    for (const e of ['configz', 'registryz', 'endpointz', 'instancesz', 'adsz', 'syncz']) expect(r.stdout).toMatch(new RegExp(`^/debug/${e}\\s`, 'm'))
  })

  it('istiod config, registry, endpoints, instances and ads show tables from :15014/debug/*, and istiod debug prints an endpoint', async () => {
    await live.apply('traffic-split.yaml')
    const config = await runCli(['istiod', 'config', '-o', 'table', ...kc])
    expect(config.code, config.stderr).toBe(0)
    expect(config.stderr).toMatch(/Read \/debug\/configz of istio-system\/istiod-\S+ \(container discovery\) via port-forward to port 15014/)
    expect(config.stdout).toMatch(/^MetaRouter\s+meta-thrift\s+test-metaprotocol-thrift-route\s+\d+/m)
    expect(config.stdout).toMatch(/^DestinationRule\s+meta-thrift\s+/m)
    const registry = await runCli(['istiod', 'registry', '-o', 'table', ...kc])
    expect(registry.stdout).toMatch(/^thrift-sample-server\.meta-thrift\.svc\.cluster\.local\s+meta-thrift\s+Kubernetes\s+\S+\s+9090\/\S+ \(tcp-metaprotocol-thrift\S*\)/m)
    const endpoints = await runCli(['istiod', 'endpoints', '-o', 'json', ...kc])
    const eps = JSON.parse(endpoints.stdout).filter((r: any) => r.service === 'thrift-sample-server.meta-thrift.svc.cluster.local')
    expect(eps.map((r: any) => r.labels).sort()).toEqual(['app=thrift-sample-server,version=v1', 'app=thrift-sample-server,version=v2'])
    const instances = await runCli(['istiod', 'instances', '-o', 'table', ...kc])
    expect(instances.stdout).toMatch(/^sidecar~\S+~thrift-sample-server-v1-\S+\.meta-thrift~meta-thrift\.svc\.cluster\.local\s+thrift-sample-server\.meta-thrift\.svc\.cluster\.local\s+9090/m)
    const ads = await runCli(['istiod', 'ads', '-o', 'table', ...kc])
    expect(ads.code, ads.stderr).toBe(0)
    expect(ads.stdout).toMatch(/^NAME\s+CDS\s+LDS\s+EDS\s+RDS\s+ECDS\s+VERSION\s+CONNECTED/)
    expect(ads.stdout).toMatch(new RegExp(`^${live.clientPod}\\.meta-thrift\\s+SYNCED\\s+SYNCED\\s+SYNCED\\s+SYNCED\\s+NOT SENT\\s+1\\.20\\.8`, 'm'))
    expect(ads.stdout).toMatch(/^istio-ingressgateway-\S+\.istio-system\s+SYNCED/m)
    const debug = await runCli(['istiod', 'debug', 'syncz', ...kc])
    expect(JSON.parse(debug.stdout).some((s: any) => s.proxy.includes(live.clientPod))).toBe(true)
    const missing = await runCli(['istiod', 'debug', 'nosuchz', ...kc])
    expect(missing.code).toBe(4)
    expect(missing.stderr).toMatch(/istiod answered 404: 404 page not found/)
  })

  it('sidecar stats: MetaProtocol counters first, the observed split from the cluster counters next to the configured one, RE2 --match', async () => {
    await live.apply('traffic-split.yaml')
    const r = await eventually(async () => {
      const x = await runCli(['sidecar', 'stats', 'client', 'meta-thrift', '-o', 'json', ...kc])
      const split = JSON.parse(x.stdout).observed.find((o: any) => o.arms.length === 2 && o.total >= 5)
      return split ? JSON.parse(x.stdout) : undefined
    }, 60_000)
    expect(r.stats[0].name).toMatch(/^envoy_meta_protocol_/)
    expect(r.configured.find((c: any) => c.route === 'traffic-split').arms).toEqual([{subset: 'v1', share: 0.2}, {subset: 'v2', share: 0.8}])
    const table = await runCli(['sidecar', 'stats', 'client', 'meta-thrift', '-o', 'table', '--match', 'upstream_rq_total.*v2', ...kc])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/^envoy_cluster_upstream_rq_total\{cluster_name="outbound\|9090\|v2\|thrift-sample-server\.meta-thrift\.svc\.cluster\.local"\}\s+\d+$/m)
    expect(table.stdout).not.toMatch(/\|v1\|.*\}\s+\d+$/m)
    expect(table.stdout.endsWith('\n')).toBe(true)
    const plain = await runCli(['sidecar', 'stats', 'client', 'meta-thrift', '-o', 'table', '--match', 'meta_protocol_request', ...kc])
    expect(plain.stdout).toMatch(/^envoy_meta_protocol_request\{[^}]+\}\s+\d+\n/m) // the table's last row ends its line
    expect(plain.stdout.endsWith('\n')).toBe(true)
    expect(table.stdout).toMatch(/split to thrift-sample-server\.meta-thrift\.svc\.cluster\.local:9090: v1 \d+% \/ v2 \d+% observed \(\d+ requests, upstream_rq_total per cluster\); configured route traffic-split: v1 20% \/ v2 80%/)
    const watch = await runCli(['sidecar', 'stats', 'client', 'meta-thrift', '-o', 'table', '--watch', '--interval', '1', '--count', '2', '--match', 'meta_protocol_request', ...kc])
    expect(watch.code, watch.stderr).toBe(0)
    // The first read at once (values), then the changes of the next (values and deltas), each frame ending its lines.
    expect(watch.stdout).toMatch(/^--- \S+ \(first read\)\nSTAT\s+VALUE\n/m)
    expect(watch.stdout).toMatch(/^--- \S+ \(1s\)\nSTAT\s+VALUE\s+DELTA$/m)
    expect(watch.stdout.endsWith('\n')).toBe(true)
    expect(watch.stdout).toMatch(/envoy_meta_protocol_request\{meta_protocol_prefix="outbound\|9090\|\|thrift-sample-server\.meta-thrift\.svc\.cluster\.local"\}\s+\d+\s+\+\d+/)
    const bad = await runCli(['sidecar', 'stats', 'client', 'meta-thrift', '--match', '(?=x)', ...kc])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--match: not a valid RE2 regular expression/)
  }, 120_000)

  it('sidecar log-level shows the levels, sets all or one logger, and refuses unknown names', async () => {
    const shown = await runCli(['sidecar', 'log-level', 'client', 'meta-thrift', '-o', 'json', ...kc])
    expect(shown.code, shown.stderr).toBe(0)
    expect(JSON.parse(shown.stdout).router).toBe('warning')
    const all = await runCli(['sidecar', 'log-level', 'client', 'meta-thrift', 'debug', '-o', 'json', ...kc])
    expect(all.code, all.stderr).toBe(0)
    expect(Object.values(JSON.parse(all.stdout)).every((l) => l === 'debug')).toBe(true)
    const one = await runCli(['sidecar', 'log-level', 'client', '-n', 'meta-thrift', 'trace', '--logger', 'thrift', '-o', 'table', ...kc])
    expect(one.stdout).toMatch(/^thrift\s+trace$/m)
    const again = await runCli(['sidecar', 'admin', 'client', 'meta-thrift', 'logging', ...kc])
    expect(again.stdout).toMatch(/^ {2}thrift: trace$/m)
    expect(again.stdout).toMatch(/^ {2}router: debug$/m)
    const bad = await runCli(['sidecar', 'log-level', 'client', 'meta-thrift', 'debug', '--logger', 'nope', ...kc])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--logger: unrecognized logger name "nope"/)
    const post = await runCli(['sidecar', 'admin', 'client', 'meta-thrift', 'logging?level=info', '--post', '--yes', ...kc])
    expect(post.code, post.stderr).toBe(0)
    expect(post.stdout).toMatch(/^ {2}thrift: info$/m)
    const clusters = await runCli(['sidecar', 'admin', 'client', 'meta-thrift', 'clusters', ...kc])
    expect(clusters.stdout).toMatch(/^outbound\|9090\|v1\|thrift-sample-server\.meta-thrift\.svc\.cluster\.local::\d+\.\d+\.\d+\.\d+:9090::health_flags::healthy$/m)
  })

  it('istiod log and aeraki log read the control plane\'s lines (Aeraki logs the push of a MetaRouter change); --dump writes a file', async () => {
    await live.apply('traffic-split.yaml', (d) => { if (d.kind === 'MetaRouter') d.metadata.labels = {changed: String(Date.now())} })
    const aeraki = await eventually(async () => {
      const r = await runCli(['aeraki', 'log', '--tail', '50', ...kc])
      return /push MetaProtocol route thrift-sample-server\.meta-thrift\.svc\.cluster\.local for MetaRouter meta-thrift\/test-metaprotocol-thrift-route/.test(r.stdout) ? r : undefined
    })
    expect(aeraki.code).toBe(0)
    const istiod = await runCli(['istiod', 'log', '--tail', '50', ...kc])
    expect(istiod.stdout).toMatch(/ADS: new connection for node:sidecar~/)
    expect(istiod.stdout).toMatch(/Push debounce stable\[\d+\] 1 for config MetaRouter\/meta-thrift\/test-metaprotocol-thrift-route/)
    const dump = await runCli(['istiod', 'log', '--dump', ...kc], {cwd: live.dir})
    expect(dump.code, dump.stderr).toBe(0)
    const file = /Wrote (\S+istiod-\d{8}T\d{6}Z\.log)/.exec(dump.stderr)?.[1]
    expect(file).toBeDefined()
    expect(readFileSync(file!, 'utf8')).toMatch(/starting discovery service/)
  })

  it('gateway-config reads istio-ingressgateway in istio-system with EDS, and gateway log tails it', async () => {
    const r = await runCli(['gateway-config', '-o', 'json', ...kc])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/Read the config dump of istio-system\/istio-ingressgateway-\S+ \(container istio-proxy\) via port-forward to port 15000/)
    expect(JSON.parse(r.stdout).configs.map((c: any) => c['@type'])).toContain('type.googleapis.com/envoy.admin.v3.EndpointsConfigDump')
    const log = await runCli(['gateway', 'log', '--tail', '5', ...kc])
    expect(log.code, log.stderr).toBe(0)
    expect(log.stdout).toMatch(/^istio-ingressgateway-\S+ .*Envoy proxy is ready$/m)
  })
})
