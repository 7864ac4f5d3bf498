// Route matching exactly as the MetaProtocol proxy does it (spec §3.1–3.2), in two forms:
// `explainRoute` walks every route and says why each failed (for people), `decideRoute` uses a compiled index
// (for speed). Both must agree; the tests check that on generated tables.
import {APPLICATION_PROTOCOL_ATTRIBUTE} from './names.js'
import {Re2FullMatchSet, re2FullMatch} from './regex.js'
import type {AttributeMatcher, RouteTable} from './types.js'

/** ASCII-only lower-casing, as Envoy's LowerCaseString (non-ASCII letters are left alone). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, c => c.toLowerCase())
}

export type Attributes = ReadonlyArray<readonly [string, string]>

/**
 * The proxy's view of a request: keys lower-cased, last write wins, plus the application-protocol attribute
 * which overwrites any codec attribute of that name.
 */
export function requestView(attributes: Attributes, applicationProtocol: string): Map<string, string> {
  const view = new Map<string, string>()
  for (const [k, v] of attributes) view.set(asciiLower(k), v)
  view.set(APPLICATION_PROTOCOL_ATTRIBUTE, applicationProtocol)
  return view
}

export type MatcherOutcome =
  | {matched: true}
  | {matched: false; reason: 'missing' | 'mismatch'}

export function evaluateMatcher(m: AttributeMatcher, view: ReadonlyMap<string, string>): MatcherOutcome {
  const v = view.get(asciiLower(m.name))
  if (v === undefined) return {matched: false, reason: 'missing'}
  let ok: boolean
  switch (m.kind) {
    case 'present':
      ok = true
      break
    case 'exact':
      ok = m.value === '' || v === m.value // Envoy: an empty exact value means "present with any value"
      break
    case 'prefix':
      ok = v.startsWith(m.value ?? '')
      break
    case 'regex':
      ok = re2FullMatch(m.value ?? '', v)
      break
  }
  return ok ? {matched: true} : {matched: false, reason: 'mismatch'}
}

export interface MatcherTrace {
  matcher: AttributeMatcher
  /** The request's value for the attribute, or null when absent. */
  actual: string | null
  matched: boolean
  reason?: 'missing' | 'mismatch'
}

export interface RouteTrace {
  index: number
  name: string
  matched: boolean
  matchers: MatcherTrace[]
}

/** First match wins; every route up to and including the match is traced (the rest are never looked at). */
export function explainRoute(table: RouteTable, view: ReadonlyMap<string, string>): {index: number; trace: RouteTrace[]} {
  const trace: RouteTrace[] = []
  for (let i = 0; i < table.routes.length; i++) {
    const r = table.routes[i]
    const matchers = r.matchers.map(m => {
      const out = evaluateMatcher(m, view)
      return {
        matcher: m,
        actual: view.get(asciiLower(m.name)) ?? null,
        matched: out.matched,
        ...(out.matched ? {} : {reason: out.reason}),
      }
    })
    const matched = matchers.every(m => m.matched)
    trace.push({index: i, name: r.name, matched, matchers})
    if (matched) return {index: i, trace}
  }
  return {index: -1, trace}
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled form.

interface CompiledMatcher {
  name: string // lower-cased
  kind: AttributeMatcher['kind']
  value: string
  /** For regex: index into the per-attribute pattern set. */
  regexSlot: number
}

interface CompiledRoute {
  matchers: CompiledMatcher[]
}

export interface CompiledTable {
  table: RouteTable
  routes: CompiledRoute[]
  /** Attribute whose exact values bucket the routes, when most routes test one attribute for equality. */
  indexKey: string | null
  buckets: Map<string, number[]>
  /** Routes that cannot be bucketed (no usable exact matcher on indexKey), ascending. */
  unindexed: number[]
  regexSets: Map<string, Re2FullMatchSet>
}

export function compileTable(table: RouteTable): CompiledTable {
  const regexPatterns = new Map<string, string[]>()
  const routes: CompiledRoute[] = table.routes.map(r => ({
    matchers: r.matchers.map(m => {
      const name = asciiLower(m.name)
      let regexSlot = -1
      if (m.kind === 'regex') {
        const list = regexPatterns.get(name) ?? []
        regexSlot = list.length
        list.push(m.value ?? '')
        regexPatterns.set(name, list)
      }
      return {name, kind: m.kind, value: m.value ?? '', regexSlot}
    }),
  }))
  const regexSets = new Map<string, Re2FullMatchSet>()
  // Small tables are walked (decideRoute), so neither the regex sets nor the buckets are built for them.
  if (routes.length <= WALK_MAX_ROUTES) return {table, routes, indexKey: null, buckets: new Map(), unindexed: routes.map((_, i) => i), regexSets}
  for (const [name, patterns] of regexPatterns) regexSets.set(name, new Re2FullMatchSet(patterns))

  // Choose the attribute tested by a non-empty exact matcher in the most routes.
  const counts = new Map<string, number>()
  for (const r of routes) {
    const seen = new Set<string>()
    for (const m of r.matchers) if (m.kind === 'exact' && m.value !== '' && !seen.has(m.name)) {
      seen.add(m.name)
      counts.set(m.name, (counts.get(m.name) ?? 0) + 1)
    }
  }
  let indexKey: string | null = null
  let best = 1
  for (const [k, c] of counts) if (c > best) {
    best = c
    indexKey = k
  }
  const buckets = new Map<string, number[]>()
  const unindexed: number[] = []
  routes.forEach((r, i) => {
    // Two exact matchers on one attribute with different values can never both hold; bucketing by the first is
    // still correct because the full matcher list is evaluated afterwards.
    const m = indexKey === null ? undefined : r.matchers.find(x => x.kind === 'exact' && x.name === indexKey && x.value !== '')
    if (!m) {
      unindexed.push(i)
      return
    }
    const list = buckets.get(m.value) ?? []
    list.push(i)
    buckets.set(m.value, list)
  })
  return {table, routes, indexKey, buckets, unindexed, regexSets}
}

const EMPTY: number[] = []

/**
 * Tables up to this many routes are decided by walking them in order: the index (bucket merge, a regex set over
 * all patterns of an attribute) costs more than it saves there (bench/simulator.mjs: 0.2-1.0x of a tight walk
 * at 10 routes, 1.4-6x faster from 100).
 */
export const WALK_MAX_ROUTES = 16

/** Index of the first matching route, or -1 (RouteNotFound). */
export function decideRoute(ct: CompiledTable, view: ReadonlyMap<string, string>): number {
  if (ct.routes.length <= WALK_MAX_ROUTES) {
    for (let i = 0; i < ct.routes.length; i++) if (routeMatchesInOrder(ct.routes[i], view)) return i
    return -1
  }
  const bucket = ct.indexKey === null ? EMPTY : (ct.buckets.get(view.get(ct.indexKey) ?? '\u0000') ?? EMPTY)
  const other = ct.unindexed
  const regexResults = new Map<string, Uint8Array | null>()
  // Merge the two ascending candidate lists, preserving route order: first match wins.
  let a = 0
  let b = 0
  while (a < bucket.length || b < other.length) {
    let i: number
    if (b >= other.length || (a < bucket.length && bucket[a] < other[b])) i = bucket[a++]
    else i = other[b++]
    if (routeMatches(ct, ct.routes[i], view, regexResults)) return i
  }
  return -1
}

function routeMatches(
  ct: CompiledTable,
  route: CompiledRoute,
  view: ReadonlyMap<string, string>,
  regexResults: Map<string, Uint8Array | null>,
): boolean {
  for (const m of route.matchers) {
    const v = view.get(m.name)
    if (v === undefined) return false
    switch (m.kind) {
      case 'present':
        continue
      case 'exact':
        if (m.value !== '' && v !== m.value) return false
        continue
      case 'prefix':
        if (!v.startsWith(m.value)) return false
        continue
      case 'regex': {
        let res = regexResults.get(m.name)
        if (res === undefined) {
          res = ct.regexSets.get(m.name)?.match(v) ?? null
          regexResults.set(m.name, res)
        }
        const hit = res !== null && res[m.regexSlot] === 1
        if (!hit) return false
        continue
      }
    }
  }
  return true
}

/** One route's matchers in order, each regex on its own (for the walk over small tables). */
function routeMatchesInOrder(route: CompiledRoute, view: ReadonlyMap<string, string>): boolean {
  for (const m of route.matchers) {
    const v = view.get(m.name)
    if (v === undefined) return false
    if (m.kind === 'exact') { if (m.value !== '' && v !== m.value) return false }
    else if (m.kind === 'prefix') { if (!v.startsWith(m.value)) return false }
    else if (m.kind === 'regex' && !re2FullMatch(m.value, v)) return false
  }
  return true
}
