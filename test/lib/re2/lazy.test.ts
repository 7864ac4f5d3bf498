// The RE2 engine (a 450 KB WebAssembly module) is loaded the first time a pattern is compiled, never before:
// commands and tables without regexes do not pay for it. Vitest gives this file its own module graph.
import {describe, expect, it} from 'vitest'
import {runDryRun} from '../../../src/lib/dryrun/run.js'
import {compileTable, decideRoute, requestView} from '../../../src/lib/routing/match.js'
import {re2Loaded} from '../../../src/lib/re2/re2.js'
import type {RouteEntry} from '../../../src/lib/routing/types.js'

const route = (i: number, kind: 'exact' | 'regex'): RouteEntry => ({
  name: `r${i}`, matchers: [{name: 'method', kind, value: kind === 'exact' ? `m${i}` : `m${i}.*`}],
  action: {kind: 'cluster', cluster: 'c'}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: [],
})

describe('lazy RE2', () => {
  it('is not loaded by a dry run on the demo world nor by tables without regexes, and is by the first regex', async () => {
    const run = await runDryRun({files: [], attr: [], set: []})
    expect(run.prediction.route).not.toBeNull()
    for (const n of [3, 40]) {
      const ct = compileTable({name: 't', host: 'h', port: 1, applicationProtocol: 'dubbo', routes: Array.from({length: n}, (_, i) => route(i, 'exact'))})
      expect(decideRoute(ct, requestView([['method', 'm2']], 'dubbo'))).toBe(2)
    }
    expect(re2Loaded()).toBe(false)
    const ct = compileTable({name: 't', host: 'h', port: 1, applicationProtocol: 'dubbo', routes: [route(0, 'exact'), route(1, 'regex')]})
    expect(decideRoute(ct, requestView([['method', 'm1x']], 'dubbo'))).toBe(1)
    expect(re2Loaded()).toBe(true)
  })
})
