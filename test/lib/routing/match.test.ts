// Matcher semantics (spec §3.1–3.2) and agreement between the compiled index and the explaining walk.
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {compileTable, decideRoute, evaluateMatcher, explainRoute, requestView, WALK_MAX_ROUTES} from '../../../src/lib/routing/match.js'
import type {AttributeMatcher, RouteTable} from '../../../src/lib/routing/types.js'
import {checkRe2} from '../../../src/lib/routing/regex.js'

const view = (attrs: Array<[string, string]>, proto = 'dubbo') => requestView(attrs, proto)
const m = (name: string, kind: AttributeMatcher['kind'], value?: string): AttributeMatcher => ({name, kind, ...(value !== undefined ? {value} : {})})
const ok = (x: AttributeMatcher, attrs: Array<[string, string]>) => evaluateMatcher(x, view(attrs)).matched

describe('matchers', () => {
  it('exact is case-sensitive whole-string equality; exact "" means present with any value', () => {
    expect(ok(m('method', 'exact', 'sayHello'), [['method', 'sayHello']])).toBe(true)
    expect(ok(m('method', 'exact', 'sayHello'), [['method', 'sayhello']])).toBe(false)
    expect(ok(m('method', 'exact', 'say'), [['method', 'sayHello']])).toBe(false)
    expect(ok(m('method', 'exact', ''), [['method', 'anything']])).toBe(true)
    expect(ok(m('method', 'exact', ''), [])).toBe(false)
  })

  it('attribute names are compared ASCII-case-insensitively, last write wins', () => {
    expect(ok(m('Method', 'exact', 'b'), [['METHOD', 'a'], ['method', 'b']])).toBe(true)
    expect(ok(m('method', 'exact', 'a'), [['METHOD', 'a'], ['method', 'b']])).toBe(false)
    // Non-ASCII letters are not folded (Envoy's LowerCaseString is ASCII-only).
    expect(ok(m('ÄRGER', 'exact', 'x'), [['ärger', 'x']])).toBe(false)
  })

  it('regex is an RE2 full match with RE2 syntax, never a partial JS match', () => {
    expect(ok(m('method', 'regex', 'say'), [['method', 'sayHello']])).toBe(false)
    expect(ok(m('method', 'regex', 'say.*'), [['method', 'sayHello']])).toBe(true)
    expect(ok(m('sub', 'regex', '1|2'), [['sub', '2']])).toBe(true)
    expect(ok(m('sub', 'regex', '1|2'), [['sub', '12']])).toBe(false)
    expect(ok(m('method', 'regex', '(?i)SAYHELLO'), [['method', 'sayHello']])).toBe(true) // RE2 inline flag
    expect(ok(m('name', 'regex', '\\pL+'), [['name', 'Grüße']])).toBe(true) // RE2 Unicode class
    expect(ok(m('name', 'regex', '[[:alpha:]]+'), [['name', 'abc']])).toBe(true) // POSIX class
    expect(checkRe2('a(?=b)')).toEqual({ok: false, error: 'invalid perl operator: (?='}) // look-ahead is not RE2 (the proxy NACKs)
    expect(ok(m('x', 'regex', 'a(?=b)'), [['x', 'ab']])).toBe(false)
  })

  it('prefix is startsWith, a missing attribute fails every kind', () => {
    expect(ok(m('method', 'prefix', 'say'), [['method', 'sayHello']])).toBe(true)
    for (const kind of ['exact', 'prefix', 'regex', 'present'] as const) expect(ok(m('tenant', kind, '.*'), [['method', 'x']])).toBe(false)
  })

  it('the application-protocol attribute is always present and overrides a codec attribute of that name', () => {
    expect(ok(m('x-meta-protocol-application-protocol', 'exact', 'dubbo'), [['x-meta-protocol-application-protocol', 'evil']])).toBe(true)
  })
})

// ---- generated tables: the compiled index must pick exactly what the walk picks ----
const names = ['method', 'interface', 'foo', 'Tenant']
const values = ['sayHello', 'sayHi', 'say', 'a', 'b', '', 'x1', 'x2']
const arbMatcher: fc.Arbitrary<AttributeMatcher> = fc.record({
  name: fc.constantFrom(...names),
  kind: fc.constantFrom('exact', 'prefix', 'regex', 'present') as fc.Arbitrary<AttributeMatcher['kind']>,
  value: fc.constantFrom(...values, 'say.*', 'x[0-9]', 'a|b'),
}).map(x => (x.kind === 'present' ? {name: x.name, kind: x.kind} : x.kind === 'prefix' && x.value === '' ? {...x, value: 's'} : x))
// Up to 40 routes: tables of up to WALK_MAX_ROUTES (16) are walked, larger ones go through the index; both are covered.
const arbTable: fc.Arbitrary<RouteTable> = fc.array(fc.array(arbMatcher, {maxLength: 3}), {minLength: 1, maxLength: 40}).map(rs => ({
  name: 't_1', host: 't', port: 1, applicationProtocol: 'dubbo',
  routes: rs.map((matchers, i) => ({name: `r${i}`, matchers, action: {kind: 'cluster', cluster: `c${i}`}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []})),
}))
const arbAttrs = fc.array(fc.tuple(fc.constantFrom(...names, 'METHOD', 'other'), fc.constantFrom(...values)), {maxLength: 5})

describe('compiled table', () => {
  it('decideRoute agrees with explainRoute on generated tables and requests', () => {
    fc.assert(
      fc.property(arbTable, fc.array(arbAttrs, {minLength: 1, maxLength: 8}), (table, requests) => {
        const ct = compileTable(table)
        if (table.routes.length <= WALK_MAX_ROUTES) expect(ct.regexSets.size + ct.buckets.size).toBe(0) // walked, nothing built
        for (const attrs of requests) {
          const v = view(attrs as Array<[string, string]>)
          expect(decideRoute(ct, v)).toBe(explainRoute(table, v).index)
        }
      }),
      {numRuns: 400},
    )
  })

  it('an indexed table of 1,000 exact routes still honours first-match order', () => {
    const table: RouteTable = {name: 't_1', host: 't', port: 1, applicationProtocol: 'thrift', routes: []}
    for (let i = 0; i < 1000; i++) table.routes.push({name: `r${i}`, matchers: [m('method', 'exact', `m${i % 500}`)], action: {kind: 'cluster', cluster: `c${i}`}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []})
    table.routes.splice(10, 0, {name: 'catch', matchers: [m('method', 'prefix', 'm4')], action: {kind: 'cluster', cluster: 'c'}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []})
    const ct = compileTable(table)
    expect(ct.indexKey).toBe('method')
    expect(decideRoute(ct, view([['method', 'm3']]))).toBe(3)
    expect(decideRoute(ct, view([['method', 'm499']]))).toBe(10) // the prefix route at index 10 comes first
    expect(decideRoute(ct, view([['method', 'm250']]))).toBe(251)
    expect(decideRoute(ct, view([['method', 'zz']]))).toBe(-1)
  })
})
