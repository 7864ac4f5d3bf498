// Issue 12 §1 for the commands that read a live pod: the planted-secret dump (test/lib/dump/planted-secrets.ts) is
// served by a pod's admin port 15000 (a test container listening beside istio-proxy: containers of a pod share one
// network, and the first that listens answers), then read through `sidecar admin … config_dump`, `sidecar-config`
// in every format and section, and the interactive viewer; istiod's debug endpoints print Istio objects that carry
// secrets of their own (a MetaRouter's bearer token, an EnvoyFilter's inline key). No planted value may come out
// unless --show-secrets.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {EmulatorPlugin} from '@aerakictl/kube-emulator'
import {runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {leakedIn, PLANTED, plantedDump} from '../lib/dump/planted-secrets.js'
import {startPane, type Pane} from '../lib/sidecar/tmux.js'

const NS = 'planted'
const POD = 'planted-proxy-7d9f8c6b5-q4z2w'
const DUMP = JSON.stringify(plantedDump(), null, 2)
const MUTATION_BEARER = 'metarouter-b3arer-t0ken-5150'
const FILTER_KEY_BODY = 'MHcCAQEEIEnvoyFilterInlinePrivateKeyBodyAAAAAAAAAAAAAAAAAAAAoAoGCCqGSM49'

/** The test container: Envoy's admin answers, from the planted dump. */
const plantedAdmin: EmulatorPlugin = {
  container(_pod, container) {
    if (container.name !== 'planted-admin') return undefined
    return {
      port: (port) => port !== 15000 ? undefined : (req) => req.target.split('?')[0] === '/config_dump'
        ? {status: 200, contentType: 'application/json', body: DUMP}
        : {status: 404, contentType: 'text/plain', body: `invalid path: ${req.target}\n`},
    }
  },
}

let pg: Playground
let kc: string[]
const panes: Pane[] = []

beforeAll(async () => {
  pg = await startPlaygroundWithDemo({plugins: [plantedAdmin]})
  kc = ['--kubeconfig', pg.kubeconfig]
  const api = pg.objects
  await api.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: NS}})
  await api.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: POD, namespace: NS, labels: {app: 'planted-proxy'}},
    spec: {containers: [{name: 'planted-admin', image: 'planted/admin:1'}, {name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.16.1'}]}} as any)
  await api.create({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'secret-route', namespace: 'meta-thrift'},
    spec: {hosts: ['thrift-sample-server.meta-thrift.svc.cluster.local'], routes: [{name: 'secret-route', match: {attributes: {method: {exact: 'sayHello'}}},
      route: [{destination: {host: 'thrift-sample-server.meta-thrift.svc.cluster.local', subset: 'v1'}}],
      requestMutation: [{key: 'authorization', value: `Bearer ${MUTATION_BEARER}`}]}]}} as any)
  // EnvoyFilter is not among the playground's CRDs: served from here on, as `kubectl apply` of Istio's CRD would.
  await api.create({apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'envoyfilters.networking.istio.io'},
    spec: {group: 'networking.istio.io', scope: 'Namespaced', names: {kind: 'EnvoyFilter', plural: 'envoyfilters', singular: 'envoyfilter', listKind: 'EnvoyFilterList'},
      versions: [{name: 'v1alpha3', served: true, storage: true, schema: {openAPIV3Schema: {type: 'object', properties: {spec: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}}}}}]}} as any)
  await until(async () => {
    try {
      await api.list('networking.istio.io/v1alpha3', 'EnvoyFilter', 'istio-system')
      return true
    } catch {
      return false
    }
  }, 'EnvoyFilter served', 30_000)
  await api.create({apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: {name: 'inline-key', namespace: 'istio-system'},
    spec: {configPatches: [{applyTo: 'CLUSTER', patch: {operation: 'MERGE', value: {transport_socket: {name: 'envoy.transport_sockets.tls', typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
      common_tls_context: {tls_certificates: [{private_key: {inline_string: `-----BEGIN EC PRIVATE KEY-----\n${FILTER_KEY_BODY}\n-----END EC PRIVATE KEY-----\n`}}]}}}}}}]}} as any)
  const pod = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), NS).find((p: any) => p.metadata.name === POD) as any
  await until(() => pod()?.status?.phase === 'Running', 'the planted pod Running', 30_000)
}, 90_000)

afterAll(async () => {
  for (const p of panes.splice(0)) await p.close()
  await pg?.close()
})

function expectNoLeak(what: string, text: string): void {
  expect(leakedIn(text), what).toEqual([])
  expect(text, what).not.toContain(MUTATION_BEARER)
  expect(text, what).not.toContain(FILTER_KEY_BODY)
}

describe('secrets served by a live pod are redacted', () => {
  it('the planted pod serves the planted dump (so the checks below read what they claim to)', async () => {
    const r = await runCli(['sidecar', 'admin', 'planted-proxy', NS, 'config_dump', '--show-secrets', ...kc])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(new RegExp(`${NS}/${POD} \\(container istio-proxy\\) via port-forward to port 15000`))
    expect(leakedIn(r.stdout).length).toBeGreaterThan(Object.keys(PLANTED).length - 3)
  })

  it('sidecar admin … config_dump (and with ?include_eds) prints no planted value', async () => {
    for (const path of ['config_dump', 'config_dump?include_eds']) {
      const r = await runCli(['sidecar', 'admin', 'planted-proxy', NS, path, ...kc])
      expect(r.code, r.stderr).toBe(0)
      expectNoLeak(path, r.stdout + r.stderr)
      expect(r.stdout).toMatch(/\[redacted: PEM private key, \d+ bytes\]/)
    }
  }, 60_000)

  it('sidecar-config: every section in every format, and JSONPaths', async () => {
    for (const section of ['all', 'bootstrap', 'listeners', 'clusters', 'routes', 'metaprotocol', 'secrets']) {
      for (const output of ['table', 'json', 'yaml']) {
        const args = ['sidecar-config', 'planted-proxy', NS, '--section', section, '-o', output, ...kc]
        const r = await runCli(args)
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0)
        expectNoLeak(args.join(' '), r.stdout + r.stderr)
      }
    }
    for (const path of ['$..*', '$..private_key', '$..inline_bytes', '$..value']) {
      const r = await runCli(['sidecar-config', 'planted-proxy', NS, '--jsonpath', path, ...kc])
      expect(r.code, r.stderr).toBe(0)
      expectNoLeak(path, r.stdout + r.stderr)
    }
  }, 300_000)

  it('the interactive viewer shows the marker where a key was, and no key', async () => {
    const pane = await startPane(['sidecar-config', 'planted-proxy', NS, '-i', ...kc], {NO_COLOR: '1'}, 200, 50)
    panes.push(pane)
    await pane.waitFor((s) => /^path: \S+$/m.test(s), 'the viewer')
    // Search for the field under which most keys were planted; every match is looked at.
    await pane.keys(['/private_key'], true)
    await pane.keys(['Enter'])
    const first = await pane.waitFor((s) => /^match 1 of (\d+) for "private_key"/m.test(s), 'the first match')
    const matches = Number(/^match 1 of (\d+)/m.exec(first)![1])
    expect(matches).toBeGreaterThan(1)
    const screens = [first]
    for (let i = 2; i <= matches; i++) {
      await pane.keys(['n'])
      screens.push(await pane.waitFor((s) => new RegExp(`^match ${i} of ${matches} `, 'm').test(s), `match ${i}`))
      // Open what the match holds, so its value is on the screen too.
      await pane.keys(['Right'])
    }
    screens.push(await pane.screen())
    for (const s of screens) expectNoLeak('the viewer', s)
    expect(screens.join('\n')).toMatch(/\[redacted: [^\]]+\]/)
    await pane.keys(['q'])
    expect(await pane.exited()).toBe(0)
  }, 120_000)

  it('istiod debug configz and istiod config print no secret of the Istio objects', async () => {
    const configz = await runCli(['istiod', 'debug', 'configz', ...kc])
    expect(configz.code, configz.stderr).toBe(0)
    // The objects are there (so the check reads them): both names are printed, their secrets are not.
    expect(configz.stdout).toContain('secret-route')
    expect(configz.stdout).toContain('inline-key')
    expectNoLeak('istiod debug configz', configz.stdout + configz.stderr)
    for (const output of ['json', 'yaml', 'table']) {
      const r = await runCli(['istiod', 'config', '-o', output, ...kc])
      expect(r.code, r.stderr).toBe(0)
      expectNoLeak(`istiod config -o ${output}`, r.stdout + r.stderr)
    }
    const shown = await runCli(['istiod', 'debug', 'configz', '--show-secrets', ...kc])
    expect(shown.stdout).toContain(MUTATION_BEARER)
    expect(shown.stdout).toContain(FILTER_KEY_BODY)
  }, 120_000)
})
