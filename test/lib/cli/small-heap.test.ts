// src/lib/cli/small-heap.ts: a followed log session asks V8 for a small heap at run time. The flags only help if
// this Node's V8 still reads them at each growth, so that is checked on the Node that runs the suite, in processes
// of their own (a test worker must keep its own heap settings): the same allocation that grows the young
// generation of a plain process must leave it at its start size after preferSmallHeap(). (V8 reports the young
// generation at start with one semi-space committed, and both once the first scavenge ran: hence the 2×.)
import {describe, expect, it} from 'vitest'
import {distImport, runModuleScript} from '../../support/cli.js'

/** Young generation committed (MB) at the start and after a burst in which some objects live a while, as log lines do. */
async function youngGeneration(apply: boolean, env: NodeJS.ProcessEnv = {}): Promise<{applied: boolean; before: number; after: number; stderr: string}> {
  const script = `
import {getHeapSpaceStatistics} from 'node:v8'
import {preferSmallHeap} from ${distImport('lib/cli/small-heap.js')}
const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576
const before = young()
const applied = ${apply} ? preferSmallHeap() : false
const kept = []
for (let i = 0; i < 4e6; i++) { kept.push({i, line: 'line ' + i}); if (kept.length > 20000) kept.length = 0 }
process.stdout.write(JSON.stringify({applied, before, after: young()}))
`
  const {stdout, stderr} = await runModuleScript(script, {env: {PATH: process.env.PATH, ...env}, timeout: 60_000})
  return {...JSON.parse(stdout), stderr}
}

describe('preferSmallHeap', () => {
  it('keeps the young generation at its start size under a burst that grows it in a plain process', async () => {
    const plain = await youngGeneration(false)
    const small = await youngGeneration(true)
    expect(plain.after, 'the burst must grow a plain process\'s young generation, or this test proves nothing').toBeGreaterThan(4 * plain.before)
    expect(small.applied).toBe(true)
    expect(small.after).toBeLessThanOrEqual(2 * small.before)
    expect(small.stderr).toBe('') // V8 knew both flags (an unknown one is a line on stderr)
  }, 120_000)

  it('leaves the heap to the user who sized it (NODE_OPTIONS)', async () => {
    const own = await youngGeneration(true, {NODE_OPTIONS: '--max-semi-space-size=8'})
    expect(own.applied).toBe(false)
    expect(own.after).toBeGreaterThan(4 * own.before)
  }, 120_000)

  it('does nothing on a V8 whose flag list was not checked, or when a heap flag is on node\'s command line', async () => {
    const {preferSmallHeap} = await import('../../../src/lib/cli/small-heap.js')
    expect(preferSmallHeap({}, [], '10.2.154.26-node.26')).toBe(false)
    expect(preferSmallHeap({}, [], '14.0.1')).toBe(false)
    expect(preferSmallHeap({}, ['--max-old-space-size=4096'], process.versions.v8)).toBe(false)
    expect(preferSmallHeap({NODE_OPTIONS: '--optimize-for-size'}, [], process.versions.v8)).toBe(false)
  })
})
