// The RE2 engine (a 450 KB WebAssembly module) is loaded the first time a pattern is compiled, never before:
// commands and tables without regexes do not pay for it. Test files share a worker's modules (isolate: false in
// vitest.config.ts), so this file resets the module registry and imports its own fresh copies.
import {beforeAll, describe, expect, it, vi} from 'vitest'
import type {RouteEntry} from '../../../src/lib/routing/types.js'

let runDryRun: typeof import('../../../src/lib/dryrun/run.js').runDryRun
let match: typeof import('../../../src/lib/routing/match.js')
let re2Loaded: typeof import('../../../src/lib/re2/re2.js').re2Loaded
beforeAll(async () => {
  vi.resetModules()
  ;({runDryRun} = await import('../../../src/lib/dryrun/run.js'))
  match = await import('../../../src/lib/routing/match.js')
  ;({re2Loaded} = await import('../../../src/lib/re2/re2.js'))
})

const route = (i: number, kind: 'exact' | 'regex'): RouteEntry => ({
  name: `r${i}`, matchers: [{name: 'method', kind, value: kind === 'exact' ? `m${i}` : `m${i}.*`}],
  action: {kind: 'cluster', cluster: 'c'}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: [],
})

describe('lazy RE2', () => {
  it('is not loaded by a dry run on the demo world nor by tables without regexes, and is by the first regex', async () => {
    const {compileTable, decideRoute, requestView} = match
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
