// RE2 semantics for `regex` matchers: Envoy's safe_regex is an RE2 full match (spec §3.2), so JS RegExp is never
// used. re2js is a port of RE2 (via RE2/J, Go's regexp syntax, which is also what Aeraki's webhook compiles with).
import {RE2JS, RE2Set} from 're2js'

/** Envoy's default `re2.max_program_size.error_level`: above it the proxy NACKs the whole table. */
export const RE2_MAX_PROGRAM_SIZE = 100

const cache = new Map<string, RE2JS>()

export function compileRe2(pattern: string): RE2JS {
  let re = cache.get(pattern)
  if (!re) {
    re = RE2JS.compile(pattern)
    if (cache.size > 10_000) cache.clear()
    cache.set(pattern, re)
  }
  return re
}

export function re2FullMatch(pattern: string, value: string): boolean {
  return compileRe2(pattern).matches(value)
}

export type Re2Check = {ok: true; programSize: number} | {ok: false; error: string}

/** Compiles a pattern and reports the syntax error or the (approximate) RE2 program size. */
export function checkRe2(pattern: string): Re2Check {
  try {
    return {ok: true, programSize: compileRe2(pattern).programSize()}
  } catch (e) {
    return {ok: false, error: (e as Error).message}
  }
}

/**
 * Full-matches one value against many patterns in one pass (a DFA over all of them), so a table of many regex
 * routes on one attribute costs one scan per request rather than one per route.
 */
export class Re2FullMatchSet {
  private readonly set: RE2Set | undefined
  private readonly fallback: RE2JS[]

  constructor(patterns: string[]) {
    this.fallback = patterns.map(compileRe2)
    let set: RE2Set | undefined = new RE2Set(RE2Set.ANCHOR_BOTH)
    try {
      for (const p of patterns) set.add(p)
      set.compile()
    } catch {
      set = undefined // too large for the DFA budget: match one by one
    }
    this.set = patterns.length > 1 ? set : undefined
  }

  /** Indices of the patterns that fully match `value`. */
  match(value: string): Set<number> | boolean[] {
    if (this.set) {
      try {
        return new Set(this.set.match(value))
      } catch {
        // DFA out of memory on a pathological input: fall through to the one-by-one path.
      }
    }
    return this.fallback.map(re => re.matches(value))
  }
}
