// Issue 12 §4 and §6: partial work is reported, never hidden. `apply -f` of many objects through a fault proxy whose
// API server stops after N writes, or hangs on one write while the user presses Ctrl-C: stdout lists what was applied,
// what failed and why, what was not applied, how to finish or undo; the exit code follows the table; running it
// again finishes the job.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {spawnCli} from '../lib/logs/spawn-cli.js'

let pg: Playground
let proxy: FaultProxy
let kubeconfig: string
const N = 30

/** `count` ConfigMaps named `${prefix}-00`… in meta-thrift, one file. */
function manifests(prefix: string, count = N): string {
  const docs = Array.from({length: count}, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${prefix}-${String(i).padStart(2, '0')}\n  namespace: meta-thrift\ndata:\n  n: "${i}"\n`)
  const file = join(pg.dir, `${prefix}.yaml`)
  writeFileSync(file, docs.join('---\n'))
  return file
}

const configMaps = (prefix: string) => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'configmaps'), 'meta-thrift')
  .map((c: any) => c.metadata.name as string).filter(n => n.startsWith(`${prefix}-`)).sort()

describe('apply reports partial work', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo()
    proxy = await startFaultProxy(pg.emu)
    kubeconfig = proxy.writeKubeconfig(join(pg.dir, 'proxy.kubeconfig'), 'meta-thrift')
  })
  beforeEach(() => {
    proxy.rules.stopAfterWrites = undefined
    proxy.rules.stall = undefined
    proxy.writes = 0
  })
  afterAll(async () => {
    await proxy?.close()
    await pg?.close()
  })

  it('the API stops midway: lists applied, failed (why) and not applied objects, says how to finish or undo, exits 4; a second run finishes', async () => {
    const file = manifests('stop')
    proxy.rules.stopAfterWrites = 12
    const r = await runCli(['apply', '-f', file, '--kubeconfig', kubeconfig])
    expect(r.code, r.stderr).toBe(4)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.slice(0, 12)).toEqual(Array.from({length: 12}, (_, i) => `ConfigMap meta-thrift/stop-${String(i).padStart(2, '0')} created (server-side apply)`))
    expect(lines[12]).toMatch(/^ConfigMap meta-thrift\/stop-12 failed: cannot reach the Kubernetes API of context "fault-proxy" at https:\/\/127\.0\.0\.1:\d+: (connection reset|socket hang up)/)
    expect(lines.slice(13, 30)).toEqual(Array.from({length: 17}, (_, i) => `ConfigMap meta-thrift/stop-${i + 13} not applied`))
    expect(lines[30]).toMatch(/^✘ Incomplete: stopped at ConfigMap meta-thrift\/stop-12; applied 12 of 30 objects, 1 failed, 17 not applied\. To finish: fix the cause and run the same command again/)
    expect(lines[30]).toContain(`To undo: delete the 12 object(s) this run created: kubectl delete -n meta-thrift ${Array.from({length: 12}, (_, i) => `configmaps/stop-${String(i).padStart(2, '0')}`).join(' ')}.`)
    expect(lines).toHaveLength(31)
    expect(r.stderr).toContain('Error: applying ConfigMap meta-thrift/stop-12 failed: cannot reach')
    // What the report says was applied is exactly what the cluster holds.
    expect(configMaps('stop')).toEqual(Array.from({length: 12}, (_, i) => `stop-${String(i).padStart(2, '0')}`))

    proxy.rules.stopAfterWrites = undefined
    const again = await runCli(['apply', '-f', file, '--kubeconfig', kubeconfig])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout.match(/ unchanged \(server-side apply\)$/gm)).toHaveLength(12)
    expect(again.stdout.match(/ created \(server-side apply\)$/gm)).toHaveLength(18)
    expect(configMaps('stop')).toHaveLength(N)
  })

  it('--json: one document with the partial report and the exit code of the cause', async () => {
    const file = manifests('json', 5)
    proxy.rules.stopAfterWrites = 2
    const r = await runCli(['apply', '-f', file, '--kubeconfig', kubeconfig, '--json'])
    expect(r.code, r.stderr).toBe(4)
    const doc = JSON.parse(r.stdout)
    expect(doc.incomplete.applied).toEqual([{resource: 'ConfigMap meta-thrift/json-00', action: 'create'}, {resource: 'ConfigMap meta-thrift/json-01', action: 'create'}])
    expect(doc.incomplete.failed).toMatchObject({resource: 'ConfigMap meta-thrift/json-02', code: 'CLUSTER_UNREACHABLE'})
    expect(doc.incomplete.notApplied).toEqual(['ConfigMap meta-thrift/json-03', 'ConfigMap meta-thrift/json-04'])
    expect(doc.incomplete).toMatchObject({interrupted: false, exitCode: 4})
    expect(doc.prediction).toBeNull()
    expect(configMaps('json')).toEqual(['json-00', 'json-01'])
  })

  it('a refused server-side dry run writes nothing and says so', async () => {
    const file = join(pg.dir, 'bad.yaml')
    writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry-00, namespace: meta-thrift}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry-01, namespace: nosuch-namespace}\n`)
    const r = await runCli(['apply', '-f', file, '--kubeconfig', kubeconfig])
    expect(r.code).toBe(4) // the namespace does not exist: the cluster's answer (404)
    expect(r.stderr).toMatch(/the server-side dry run of ConfigMap nosuch-namespace\/dry-01 failed: .*; nothing was applied/)
    expect(configMaps('dry')).toEqual([])
    expect(proxy.writes).toBe(0)
  })

  it('Ctrl-C while a write hangs: acts at once, exits 130 and reports the cut write as maybe applied', async () => {
    const file = manifests('int', 6)
    proxy.rules.stall = /^PATCH \/api\/v1\/namespaces\/meta-thrift\/configmaps\/int-03\?(?!.*dryRun)/
    const cli = spawnCli(['apply', '-f', file, '--kubeconfig', kubeconfig])
    await until(() => proxy.stalled > 0, 'the write of int-03 to reach the hung API')
    cli.interrupt()
    const exit = await cli.exited
    expect(exit.code, cli.stderr()).toBe(130)
    const out = cli.stdout()
    for (const i of [0, 1, 2]) expect(out).toContain(`ConfigMap meta-thrift/int-0${i} created (server-side apply)`)
    expect(out).toContain('ConfigMap meta-thrift/int-03 interrupted (Ctrl-C) while being written: it may or may not have been applied')
    expect(out).toContain('ConfigMap meta-thrift/int-04 not applied\nConfigMap meta-thrift/int-05 not applied')
    expect(out).toContain('✘ Incomplete: interrupted (Ctrl-C); applied 3 of 6 objects, 1 interrupted, 2 not applied.')
    expect(cli.stderr()).not.toMatch(/\n\s+at /) // no stack
    expect(configMaps('int')).toEqual(['int-00', 'int-01', 'int-02'])
  })
})
