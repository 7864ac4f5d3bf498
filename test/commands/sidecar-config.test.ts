// `aerakictl sidecar-config` as a user runs it (the built CLI, piped): saved dumps, sections, JSONPath,
// secrets, a large dump under a memory cap (25 MB in 128 MB), and live pods in the in-process emulator.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, ROOT, runCli} from '../support/cli.js'
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js'
import {pipeInto} from '../lib/sidecar/pipe.js'
import {FIXTURES, startLiveCluster, type LiveCluster} from '../lib/sidecar/live-cluster.js'
import {camelCased, largeDump, LEAKED, loadFixture, withEcds, withEndpoints, withLeakedSecrets} from './dump-variants.js'

const METHOD = 'thrift-client-config-dump.json'
const SPLIT = 'thrift-client-config-dump-split.json'
const TABLE = 'thrift-sample-server.meta-thrift.svc.cluster.local_9090'

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'aerakictl-sidecar-config-')) })
afterAll(() => { rmSync(dir, {recursive: true, force: true}) })

function save(name: string, value: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(value, null, 2))
  return file
}

/** Lines of the "MetaProtocol routes" block of a table output. */
function routesBlock(stdout: string): string {
  return stdout.split('\n\n').find((b) => b.startsWith('MetaProtocol routes')) ?? ''
}

describe('sidecar-config --file', () => {
  it('shows the method route of fixture (a) as a table, and not the Prometheus route config 9090', async () => {
    const r = await runCli(['sidecar-config', '-o', 'table', '--config-dump', join(FIXTURES, METHOD)])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^${TABLE}\\s+v1\\s+method=sayHello\\s+outbound\\|9090\\|v1\\|thrift-sample-server\\.meta-thrift\\.svc\\.cluster\\.local\\s+-\\s+-\\s+1717061204`, 'm'))
    expect(r.stdout).toMatch(/^10\.98\.211\.57_9090\s+10\.98\.211\.57\s+9090\s+thrift\s+aeraki\.meta_protocol\.codec\.thrift/m)
    const routes = routesBlock(r.stdout).split('\n').slice(2)
    expect(routes.length).toBe(1)
    expect(r.stdout).not.toMatch(/^9090\s/m)
    expect(r.stdout).not.toMatch(/^0\.0\.0\.0_9090/m)
  })

  it('shows the 20/80 split of fixture (b)', async () => {
    const r = await runCli(['sidecar-config', '-o', 'table', '--config-dump', join(FIXTURES, SPLIT), '--section', 'metaprotocol'])
    expect(r.code).toBe(0)
    expect(routesBlock(r.stdout)).toMatch(/traffic-split\s+method=sayHello\s+outbound\|9090\|v1\|\S+ 20%/)
    expect(routesBlock(r.stdout)).toMatch(/^\s+outbound\|9090\|v2\|\S+ 80%$/m)
    expect(r.stdout).toMatch(/1717062067/)
  })

  it('gives the same MetaProtocol tables for camelCase, include_eds and ECDS variants (sections by @type)', async () => {
    const base = await runCli(['sidecar-config', '-o', 'table', '--config-dump', join(FIXTURES, METHOD), '--section', 'metaprotocol'])
    const fixture = loadFixture(FIXTURES, METHOD)
    for (const [name, variant] of [['camel', camelCased(fixture)], ['eds', withEndpoints(fixture)], ['ecds', withEcds(fixture)]] as const) {
      const r = await runCli(['sidecar-config', '-o', 'table', '--config-dump', save(`${name}.json`, variant), '--section', 'metaprotocol'])
      expect(r.code, name).toBe(0)
      expect(r.stdout, name).toBe(base.stdout)
    }
    expect(base.stdout).toContain(TABLE)
  })

  it('reads a dump from stdin with --file -', async () => {
    const r = await runCli(['sidecar-config', '-o', 'table', '--config-dump', '-', '--section', 'routes'], {input: JSON.stringify(loadFixture(FIXTURES, SPLIT))})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^MetaProtocol routes\n/)
    expect(r.stdout).toMatch(/Envoy HTTP routes \(not MetaProtocol\)\nNAME\s+SOURCE\s+VIRTUAL HOSTS\s+VERSION\n(.*\n)*9090\s+dynamic/)
  })

  it('selects sections by --section in JSON', async () => {
    const types = async (section: string) => {
      const r = await runCli(['sidecar-config', '--config-dump', join(FIXTURES, METHOD), '--section', section, '-o', 'json'])
      expect(r.code).toBe(0)
      return JSON.parse(r.stdout).configs.map((c: any) => c['@type'].replace(/^.*\//, ''))
    }
    expect(await types('listeners')).toEqual(['envoy.admin.v3.ListenersConfigDump'])
    expect(await types('secrets')).toEqual(['envoy.admin.v3.SecretsConfigDump'])
    expect(await types('routes')).toEqual(['aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump', 'envoy.admin.v3.ScopedRoutesConfigDump', 'envoy.admin.v3.RoutesConfigDump'])
    expect(await types('all')).toHaveLength(7)
    const meta = JSON.parse((await runCli(['sidecar-config', '--config-dump', join(FIXTURES, METHOD), '--section', 'metaprotocol', '-o', 'json'])).stdout)
    const listeners = meta.configs.find((c: any) => c['@type'].endsWith('ListenersConfigDump'))
    expect(listeners.dynamic_listeners.map((l: any) => l.name)).toEqual(['10.98.211.57_9090'])
  })

  it('prints YAML that round-trips to the same sections', async () => {
    const json = JSON.parse((await runCli(['sidecar-config', '--config-dump', join(FIXTURES, METHOD), '--section', 'metaprotocol', '-o', 'json'])).stdout)
    const r = await runCli(['sidecar-config', '--config-dump', join(FIXTURES, METHOD), '--section', 'metaprotocol', '-o', 'yaml'])
    const yaml = await import('js-yaml')
    expect(r.code).toBe(0)
    expect(yaml.load(r.stdout)).toEqual(json)
  })

  it('applies --jsonpath to the selected sections', async () => {
    const r = await runCli(['sidecar-config', '--config-dump', join(FIXTURES, SPLIT), '--jsonpath', '$.configs[*].dynamic_route_configs[*].route_config.routes[*].route.weighted_clusters.clusters[*].weight'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([20, 80])
    const names = await runCli(['sidecar-config', '--config-dump', join(FIXTURES, SPLIT), '--section', 'metaprotocol', '--jsonpath', 'configs[*].dynamic_route_configs[*].route_config.name'])
    expect(JSON.parse(names.stdout)).toEqual([TABLE])
    const filtered = await runCli(['sidecar-config', '--config-dump', join(FIXTURES, SPLIT), '--jsonpath', '$.configs[?(@["@type"].endsWith("RoutesConfigDump"))].dynamic_route_configs[*].route_config.name'])
    expect(JSON.parse(filtered.stdout)).toEqual([TABLE, '9090'])
    const types = await runCli(['sidecar-config', '--config-dump', join(FIXTURES, SPLIT), '--jsonpath', '$.configs[3]["@type"]', '-o', 'yaml'])
    expect(types.stdout).toBe('- type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump\n')
  })

  it('colours JSON only when asked by FORCE_COLOR, and NO_COLOR wins', async () => {
    const file = join(FIXTURES, METHOD)
    const plain = await runCli(['sidecar-config', '--config-dump', file, '--section', 'bootstrap', '-o', 'json'])
    const forced = await runCli(['sidecar-config', '--config-dump', file, '--section', 'bootstrap', '-o', 'json'], {env: {FORCE_COLOR: '1'}})
    const off = await runCli(['sidecar-config', '--config-dump', file, '--section', 'bootstrap', '-o', 'json'], {env: {FORCE_COLOR: '1', NO_COLOR: '1'}})
    expect(plain.stdout).not.toContain('\u001b[')
    expect(forced.stdout).toContain('\u001b[')
    expect(forced.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain.stdout)
    expect(off.stdout).toBe(plain.stdout)
  })

  it('redacts secrets in every output format unless --show-secrets', async () => {
    const file = save('leaky.json', withLeakedSecrets(loadFixture(FIXTURES, METHOD)))
    const pemB64 = Buffer.from(`-----BEGIN PRIVATE KEY-----\n${LEAKED.pemBody}`).toString('base64').slice(0, 40)
    const runs = [
      ['-o', 'json'], ['-o', 'yaml'], ['-o', 'table'], ['--section', 'secrets', '-o', 'table'], ['--section', 'bootstrap'],
      ['--jsonpath', '$..private_key'], ['--jsonpath', '$..node.metadata'], ['--section', 'secrets', '-o', 'yaml'],
    ]
    for (const args of runs) {
      const r = await runCli(['sidecar-config', '--config-dump', file, ...args])
      expect(r.code, args.join(' ')).toBe(0)
      for (const secret of [LEAKED.pemBody, LEAKED.password, LEAKED.token, pemB64]) expect(r.stdout + r.stderr, `${args.join(' ')}: ${secret}`).not.toContain(secret)
    }
    const json = await runCli(['sidecar-config', '--config-dump', file, '-o', 'json'])
    expect(json.stderr).toMatch(/\d+ secret value\(s\) shown as \[redacted: …\]; --show-secrets shows them/)
    expect(json.stdout).toMatch(/"\[redacted: PEM private key, \d+ bytes\]"/)
    const shown = await runCli(['sidecar-config', '--config-dump', file, '-o', 'json', '--show-secrets'])
    expect(shown.stdout).toContain(LEAKED.password)
    expect(shown.stdout).toContain(LEAKED.token)
    expect(shown.stdout).toContain(pemB64)
  }, 120_000)

  it('rejects bad input with exit 2 and a message naming it', async () => {
    const notJson = join(dir, 'not-json.txt')
    writeFileSync(notJson, 'invalid path: /config_dump_typo\n')
    const cases: Array<[string[], RegExp]> = [
      [['sidecar-config'], /APP: give the APP/],
      [['sidecar-config', '--config-dump', join(dir, 'missing.json')], /missing\.json: no such file/],
      [['sidecar-config', '--config-dump', notJson], /not JSON; the proxy answered: "invalid path/],
      [['sidecar-config', '--config-dump', join(FIXTURES, METHOD), '--section', 'nope'], /Expected --section=nope to be one of/],
      [['sidecar-config', 'client', 'meta-thrift', '-n', 'other'], /NAMESPACE argument "meta-thrift" and -n "other" disagree/],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).toMatch(message)
      expect(r.stderr).not.toMatch(/unexpected failure/)
    }
  })
})

// A dump about five times smaller than the heap it is read in: the CLI needs 96-128 MB of old space for a 50 MB dump
// and 48-64 MB for a 25 MB one (linear), so 25 MB in 128 MB keeps the margin that 50 MB in 256 MB had, for half the
// work. (Parsing and re-printing the whole text at once needs more than 64 MB for 25 MB.)
const DUMP_MB = 25
const HEAP_MB = 128

/** Runs the CLI with a HEAP_MB heap, counting stdout instead of keeping it. */
function runCapped(args: string[]): Promise<{code: number | null; bytes: number; head: string; tail: string; stderr: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, BIN, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
    let bytes = 0, head = '', tail = '', stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      bytes += c.length
      if (head.length < 100) head += c.toString()
      tail = (tail + c.toString()).slice(-100)
    })
    child.stderr.on('data', (c: Buffer) => { stderr += c })
    child.on('close', (code) => resolve({code, bytes, head, tail, stderr}))
  })
}

describe(`sidecar-config on a ${DUMP_MB} MB dump`, () => {
  it(`streams -o json into a pipe with a ${HEAP_MB} MB heap`, async () => {
    const file = join(dir, 'large.json')
    writeFileSync(file, JSON.stringify(largeDump(loadFixture(FIXTURES, METHOD), DUMP_MB * 1024 * 1024), null, 2))
    const result = await runCapped(['sidecar-config', '--config-dump', file, '-o', 'json'])
    expect(result.stderr).not.toMatch(/heap out of memory/)
    expect(result.code).toBe(0)
    expect(result.bytes).toBeGreaterThan(DUMP_MB * 1024 * 1024)
    expect(result.head).toMatch(/^\{\n {2}"configs": \[\n {4}\{\n {6}"@type": "type\.googleapis\.com\/envoy\.admin\.v3\.BootstrapConfigDump"/)
    expect(result.tail).toMatch(/\n {2}\]\n\}\n$/)
  }, 120_000)

  it(`reads a ${DUMP_MB} MB dump from a live pod by port-forward with a ${HEAP_MB} MB heap`, async () => {
    const live = await startLiveCluster()
    try {
      // 2,500 MetaProtocol services give the client sidecar a listener, clusters and a route table each (~27 MB).
      const services = live.emu.state.cluster.type('', 'services')
      for (let i = 0; i < 2500; i++) {
        live.emu.state.cluster.create(services, 'meta-thrift', {metadata: {name: `bulk-${i}`}, spec: {clusterIP: `10.100.${i >> 8}.${i & 255}`, ports: [{name: 'tcp-metaprotocol-thrift-bulk', port: 9090}]}})
      }
      const result = await runCapped(['sidecar-config', 'client', 'meta-thrift', '--kubeconfig', live.kubeconfig, '-o', 'json', '--request-timeout', '120'])
      expect(result.stderr).not.toMatch(/heap out of memory/)
      expect(result.code).toBe(0)
      expect(result.stderr).toMatch(/via port-forward to port 15000 \(\d{8,} bytes\)/)
      expect(result.bytes).toBeGreaterThan(DUMP_MB * 1024 * 1024)
      expect(result.tail).toMatch(/\n {2}\]\n\}\n$/)
    } finally {
      await live.close()
    }
  }, 180_000)
})

describe('sidecar-config on a live pod (emulator)', () => {
  let live: LiveCluster
  let proxy: FaultProxy
  let proxyKubeconfig: string
  beforeAll(async () => {
    live = await startLiveCluster()
    proxy = await startFaultProxy(live.emu)
    proxyKubeconfig = proxy.writeKubeconfig(join(live.dir, 'proxy.kubeconfig'), 'default')
  })
  afterAll(async () => {
    await proxy?.close()
    await live?.close()
  })

  it('reads the client sidecar by port-forward and shows the weighted route after the 20/80 split', async () => {
    const before = await runCli(['sidecar-config', '-o', 'table', 'client', 'meta-thrift', '--kubeconfig', live.kubeconfig])
    expect(before.code).toBe(0)
    expect(before.stderr).toMatch(new RegExp(`Read the config dump of meta-thrift/${live.clientPod} \\(container istio-proxy\\) via port-forward to port 15000`))
    expect(routesBlock(before.stdout)).toMatch(/_9090\s+default\s+\*\s+outbound\|9090\|\|thrift-sample-server/)
    await live.apply('traffic-split.yaml')
    const after = await runCli(['sidecar-config', '-o', 'table', 'client', '-n', 'meta-thrift', '--kubeconfig', live.kubeconfig, '--section', 'metaprotocol'])
    expect(after.code).toBe(0)
    expect(routesBlock(after.stdout)).toMatch(/traffic-split\s+method=sayHello\s+outbound\|9090\|v1\|\S+ 20%/)
    expect(routesBlock(after.stdout)).toMatch(/outbound\|9090\|v2\|\S+ 80%/)
  })

  it('falls back to exec pilot-agent when port-forward is refused, and says so', async () => {
    proxy.rules.refusePortForward = true
    try {
      const r = await runCli(['sidecar-config', 'client', 'meta-thrift', '--kubeconfig', proxyKubeconfig, '--section', 'routes', '-o', 'json'])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/port-forward to port 15000 failed: forbidden: cannot create pods\/portforward in meta-thrift/)
      expect(r.stderr).toMatch(/via exec pilot-agent request GET/)
      expect(proxy.seen).toContain('exec pilot-agent request GET config_dump?mask=dynamic_route_configs,static_route_configs')
      expect(JSON.parse(r.stdout).configs[0]['@type']).toMatch(/aeraki\.meta_protocol_proxy\.admin\.v1alpha\.RoutesConfigDump$/)
    } finally {
      proxy.rules.refusePortForward = false
    }
  })

  it('reports pilot-agent error text as such and uses curl', async () => {
    proxy.rules.refusePortForward = true
    proxy.rules.pilotAgentOutput = 'invalid path: config_dump\n'
    try {
      const r = await runCli(['sidecar-config', '-o', 'table', 'client', 'meta-thrift', '--kubeconfig', proxyKubeconfig])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/pilot-agent request GET failed: the answer is not a config dump: .*"invalid path: config_dump"/)
      expect(r.stderr).toMatch(/via exec curl/)
      expect(r.stdout).toContain(TABLE)
    } finally {
      proxy.rules.refusePortForward = false
      proxy.rules.pilotAgentOutput = undefined
    }
  })

  it('prints the redacted dump as JSON into a pipe, so `| jq .` and `| fx` work as in the tutorial', async () => {
    for (const reader of [['jq', '.'], [process.execPath, join(ROOT, 'node_modules/fx/index.js')]]) {
      const r = await pipeInto(['sidecar-config', 'client', 'meta-thrift', '--kubeconfig', live.kubeconfig], reader)
      expect(r.cliCode, reader[0]).toBe(0)
      expect(r.readerCode, `${reader[0]}: ${r.readerStderr}`).toBe(0)
      const dump = JSON.parse(r.stdout)
      expect(dump.configs.map((c: any) => c['@type'])).toContain('type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump')
    }
  })

  it('exits 4 with the pods that exist when the app matches none', async () => {
    const r = await runCli(['sidecar-config', 'nosuch', 'meta-thrift', '--kubeconfig', live.kubeconfig])
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/^Error: no pod in namespace meta-thrift matches "nosuch" \(full name or part of a name\); pods there: thrift-sample-client-/)
    expect(r.stderr).not.toMatch(/unexpected failure|\n\s+at /)
  })
})
