// `aerakictl route verify` as a user runs it: saved dumps against -f files, and the live emulator against
// its own objects, -f files and an older saved dump.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../../support/cli.js'
import {DEMO_DIR, FIXTURES, startLiveCluster, type LiveCluster} from '../../lib/sidecar/live-cluster.js'

const METHOD = join(FIXTURES, 'thrift-client-config-dump.json')
const SPLIT = join(FIXTURES, 'thrift-client-config-dump-split.json')
const TABLE = 'thrift-sample-server.meta-thrift.svc.cluster.local_9090'
const demo = (f: string) => join(DEMO_DIR, f)

describe('route verify --file', () => {
  it('is in sync when the dump holds what the MetaRouter file produces (exit 0)', async () => {
    const r = await runCli(['route', 'verify', '--config-dump', METHOD, '-f', demo('metarouter-v1.yaml')])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`✔ ${TABLE.replace(/\./g, '\\.')}  in sync \\(version 1717061204, updated 2024-05-30T09:26:44\\.851Z; 1 route\\(s\\)\\)`))
    expect(r.stdout).toMatch(/1 in sync, 0 different, 0 stale, 0 missing, 0 extra: in sync$/m)
    const split = await runCli(['route', 'verify', '--config-dump', SPLIT, '-f', demo('traffic-split.yaml'), '-f', demo('destinationrule.yaml')])
    expect(split.code).toBe(0)
  })

  it('lists what differs, field by field, when the MetaRouter is not what the sidecar has (exit 3)', async () => {
    const r = await runCli(['route', 'verify', '--config-dump', METHOD, '-f', demo('traffic-split.yaml')])
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/✘ thrift-sample-server\S+_9090  different \(sidecar version 1717061204/)
    expect(r.stdout).toMatch(/route 1 "traffic-split":\n {6}name:\n {8}expected: traffic-split\n {8}sidecar: {2}v1\n {6}destination:\n {8}expected: outbound\|9090\|v1\|\S+ weight 20, outbound\|9090\|v2\|\S+ weight 80\n {8}sidecar: {2}outbound\|9090\|v1\|\S+\n/)
    expect(r.stdout).not.toMatch(/ {6}match:/)
    expect(r.stdout).toMatch(/NOT in sync$/m)
  })

  it('reports the table missing, and why, when the sidecar has no MetaProtocol section', async () => {
    const dump = JSON.parse(readFileSync(METHOD, 'utf8'))
    dump.configs = dump.configs.filter((c: any) => !c['@type'].includes('aeraki'))
    const r = await runCli(['route', 'verify', '--config-dump', '-', '-f', demo('metarouter-v1.yaml'), '-f', demo('thrift-sample.yaml')], {input: JSON.stringify(dump)})
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/The dump has no Aeraki MetaProtocol routes section: the sidecar does not run the MetaProtocol proxy/)
    expect(r.stdout).toMatch(/✘ thrift-sample-server\S+_9090  missing: the sidecar has no route table of this name/)
    expect(r.stdout).toMatch(/0 in sync, 0 different, 0 stale, 1 missing, 0 extra: NOT in sync/)
  })

  it('prints the verdicts as JSON with -o json', async () => {
    const r = await runCli(['route', 'verify', '--config-dump', SPLIT, '-f', demo('metarouter-v1.yaml'), '-o', 'json'])
    expect(r.code).toBe(3)
    const doc = JSON.parse(r.stdout)
    expect(doc.inSync).toBe(false)
    expect(doc.sidecar).toEqual({source: 'file', file: SPLIT})
    expect(doc.tables).toHaveLength(1)
    expect(doc.tables[0]).toMatchObject({name: TABLE, status: 'different', sidecar: {versionInfo: '1717062067', routes: 1}})
    expect(doc.tables[0].differences[0].fields.map((f: any) => f.field)).toEqual(['name', 'destination'])
  })

  it('exits 2 on bad input, naming it', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['route', 'verify'], /APP: give the APP/],
      [['route', 'verify', '--config-dump', METHOD, '-f', demo('destinationrule.yaml')], /-f: the files produce no MetaProtocol route table/],
      [['route', 'verify', '--config-dump', '/nonexistent/dump.json', '-f', demo('metarouter-v1.yaml')], /\/nonexistent\/dump\.json: no such file/],
      [['route', 'verify', '--config-dump', METHOD, '-f', demo('nope.yaml')], /no such file or directory: .*nope\.yaml/],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).toMatch(message)
    }
  })
})

describe('route verify on a live pod (emulator)', () => {
  let live: LiveCluster
  beforeAll(async () => { live = await startLiveCluster() })
  afterAll(async () => { await live?.close() })
  const kube = () => ['--kubeconfig', live.kubeconfig]

  it('is in sync with the cluster before and after applying the 20/80 split', async () => {
    const before = await runCli(['route', 'verify', 'client', 'meta-thrift', ...kube()])
    expect(before.code).toBe(0)
    expect(before.stderr).toMatch(/via port-forward to port 15000/)
    expect(before.stdout).toMatch(new RegExp(`^Route tables of meta-thrift/${live.clientPod} \\(read via port-forward\\) against \\d+ object\\(s\\) from the cluster`))
    expect(before.stdout).toMatch(/✔ thrift-sample-server\S+_9090  in sync .*1 route\(s\)/)
    await live.apply('traffic-split.yaml')
    const after = await runCli(['route', 'verify', 'client', '-n', 'meta-thrift', ...kube(), '-o', 'json'])
    expect(after.code).toBe(0)
    const doc = JSON.parse(after.stdout)
    expect(doc.inSync).toBe(true)
    expect(doc.objects.source).toBe('cluster')
    expect(doc.tables.map((t: any) => [t.name, t.status])).toEqual([[TABLE, 'in-sync']])
    expect(doc.tables[0].expected.sources.map((s: any) => s.name)).toContain('MetaRouter meta-thrift/test-metaprotocol-thrift-route')
  })

  it('reports "different" when the -f MetaRouter is not what the sidecar has', async () => {
    await live.apply('traffic-split.yaml')
    const r = await runCli(['route', 'verify', 'client', 'meta-thrift', ...kube(), '-f', demo('metarouter-v1.yaml')])
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/✘ thrift-sample-server\S+_9090  different/)
    expect(r.stdout).toMatch(/ {8}expected: v1\n {8}sidecar: {2}traffic-split/)
    expect(r.stdout).toMatch(/ {8}expected: outbound\|9090\|v1\|\S+\n {8}sidecar: {2}outbound\|9090\|v1\|\S+ weight 20, outbound\|9090\|v2\|\S+ weight 80/)
  })

  it('reports "stale" with both versions when the dump is older than the MetaRouter', async () => {
    await live.apply('traffic-split.yaml')
    const r = await runCli(['route', 'verify', '--config-dump', METHOD, '-n', 'meta-thrift', ...kube()])
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/✘ thrift-sample-server\S+_9090  stale: the sidecar's copy \(version 1717061204, updated 2024-05-30T09:26:44\.851Z\) is older than MetaRouter meta-thrift\/test-metaprotocol-thrift-route resourceVersion \d+ changed 20\d\d-/)
    expect(r.stdout).toMatch(/0 in sync, 0 different, 1 stale, 0 missing, 0 extra: NOT in sync/)
  })

  it('exits 4 naming the context and server when the API is unreachable', async () => {
    const file = join(live.dir, 'down.kubeconfig')
    writeFileSync(file, live.emu.kubeconfigYaml({namespace: 'meta-thrift'}).replace(live.emu.url, 'https://127.0.0.1:1'))
    const r = await runCli(['route', 'verify', 'client', '--kubeconfig', file])
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/^Error: cannot reach the Kubernetes API of context "aerakictl-playground" at https:\/\/127\.0\.0\.1:1: connection refused/)
    expect(r.stderr).not.toContain(live.emu.token)
  })
})
