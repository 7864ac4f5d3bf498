// Issue 13's done-when line, run exactly as written: after `apply method-route`,
// `app-log client meta-thrift -f --tail 10 --tally` gives a consistent tally. The --tail backlog reaches back
// before the change (slow demo client: two requests a second), and those lines form the earlier segment.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {spawnCli} from '../lib/logs/spawn-cli.js'

let pg: Playground
const VERSION = /response from thrift-sample-server-(v[12])-/

describe('app-log -f --tail 10 --tally right after apply method-route', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({speed: 2})
    const pods = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift')
    await until(() => pods().filter((p: any) => p.status?.phase === 'Running').length >= 4, 'the four demo pods Running', 60_000)
  }, 90_000)
  afterAll(async () => { await pg?.close() })

  it('counts the backlog from before the change apart and finds the new 100/0 split consistent', async () => {
    const client = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift').find((p: any) => p.metadata.name.startsWith('thrift-sample-client'))!
    const buf = () => pg.emu.state.logs.buffer('meta-thrift', client().metadata!.name!, 'thrift-sample-client')
    // Ten lines of backlog with both versions in it.
    await until(() => {
      const last = buf().lines.slice(-10).map((l) => VERSION.exec(l.text)?.[1])
      return last.length === 10 && last.includes('v1') && last.includes('v2')
    }, 'both versions among the last ten answers', 60_000)
    const applied = await runCli(['apply', 'method-route', '--kubeconfig', pg.kubeconfig])
    expect(applied.code, applied.stderr).toBe(0)
    const changed = Math.max(...pg.metaRouters('meta-thrift')[0].metadata.managedFields.map((f: any) => Date.parse(f.time)))

    const cli = spawnCli(['app-log', 'client', 'meta-thrift', '-f', '--tail', '10', '--tally', '-o', 'json', '--kubeconfig', pg.kubeconfig])
    const lines = () => cli.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l))
    // The backlog, then enough answers written well after the change (and after its second) to test the split.
    await cli.waitFor(() => lines().filter((l) => Date.parse(l.timestamp) >= changed + 1500).length >= 8, 60_000)
    cli.interrupt()
    expect(await cli.exited).toEqual({code: 130, signal: null})

    const out = lines()
    const {tally} = out.pop()
    const backlog = out.slice(0, 10)
    expect(backlog).toHaveLength(10)
    const before = backlog.filter((l) => Date.parse(l.timestamp) < changed)
    // The situation of the issue: the backlog has lines from before the rule, v2 among them.
    expect(before.length).toBeGreaterThan(0)
    const beforeVersions = before.map((l) => VERSION.exec(l.message)?.[1]).filter(Boolean)
    expect(tally.previous[0].configured).toBeNull()
    expect(tally.previous[0].observed.n).toBe(beforeVersions.length)
    for (const v of ['v1', 'v2']) {
      expect(tally.previous[0].observed.versions[v]?.count ?? 0, v).toBe(beforeVersions.filter((x) => x === v).length)
    }
    // The configuration in force: only v1, observed only v1, consistent.
    expect(tally.configured).toMatchObject({route: 'v1', versions: {v1: 1}})
    expect(Object.keys(tally.observed.versions)).toEqual(['v1'])
    expect(tally.observed.n).toBeGreaterThanOrEqual(8)
    expect(tally.test.verdict).toBe('consistent')
    expect(tally.text).toMatch(/^v1 100% observed, 100% v1 configured, consistent \(n=\d+\)$/)
    expect(cli.stderr()).toMatch(/written before the configuration in force \(changed \S+\): /)
  }, 120_000)
})
