// Converts an Envoy HeaderMatcher (how the proxy stores MetaRouter attribute matches, config-dump.md §3.1)
// into the simulator's AttributeMatcher. Aeraki only emits exact/prefix/safe_regex/present; the rest are
// turned into an RE2 pattern with the same meaning (RE2 matches the full value, routing-semantics.md §3.2),
// and what cannot be expressed (invert_match, range_match, present_match:false) is approximated and reported.

import type {AttributeMatcher} from '../routing/types.js'
import {booleanField, field, isObject, objectField, stringField, type JsonObject} from './json.js'

export interface MatcherConversion {
  matcher: AttributeMatcher
  /** Set when the matcher could not be represented exactly. */
  warning?: string
}

/** Escapes RE2 metacharacters so the text matches literally. */
export function quoteRe2(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}

function regexOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return stringField(value, 'regex')
}

/** Envoy's `string_match` (StringMatcher) form, used by newer Envoy instead of the deprecated `*_match` fields. */
function fromStringMatch(name: string, sm: JsonObject): MatcherConversion {
  const ignoreCase = booleanField(sm, 'ignore_case') === true
  const exact = stringField(sm, 'exact')
  const prefix = stringField(sm, 'prefix')
  const suffix = stringField(sm, 'suffix')
  const contains = stringField(sm, 'contains')
  const safeRegex = regexOf(field(sm, 'safe_regex'))
  // (?s) so that `.` also spans newlines, as a literal suffix/contains test would.
  const flags = ignoreCase ? '(?is)' : '(?s)'
  if (exact !== undefined) {
    return ignoreCase && exact !== '' ? {matcher: {name, kind: 'regex', value: flags + quoteRe2(exact)}} : {matcher: {name, kind: 'exact', value: exact}}
  }
  if (prefix !== undefined) {
    return ignoreCase ? {matcher: {name, kind: 'regex', value: `${flags}${quoteRe2(prefix)}.*`}} : {matcher: {name, kind: 'prefix', value: prefix}}
  }
  if (suffix !== undefined) return {matcher: {name, kind: 'regex', value: `${flags}.*${quoteRe2(suffix)}`}}
  if (contains !== undefined) return {matcher: {name, kind: 'regex', value: `${flags}.*${quoteRe2(contains)}.*`}}
  // Envoy ignores ignore_case for safe_regex.
  if (safeRegex !== undefined) return {matcher: {name, kind: 'regex', value: safeRegex}}
  return {matcher: {name, kind: 'present'}, warning: `string_match of "${name}" has no known matcher; treated as a presence check`}
}

function specifierOf(name: string, m: JsonObject): MatcherConversion {
  const exact = stringField(m, 'exact_match')
  if (exact !== undefined) return {matcher: {name, kind: 'exact', value: exact}}
  const prefix = stringField(m, 'prefix_match')
  if (prefix !== undefined) return {matcher: {name, kind: 'prefix', value: prefix}}
  const safeRegex = regexOf(field(m, 'safe_regex_match'))
  if (safeRegex !== undefined) return {matcher: {name, kind: 'regex', value: safeRegex}}
  const legacyRegex = stringField(m, 'regex_match')
  if (legacyRegex !== undefined) return {matcher: {name, kind: 'regex', value: legacyRegex}}
  const suffix = stringField(m, 'suffix_match')
  if (suffix !== undefined) return {matcher: {name, kind: 'regex', value: `(?s).*${quoteRe2(suffix)}`}}
  const contains = stringField(m, 'contains_match')
  if (contains !== undefined) return {matcher: {name, kind: 'regex', value: `(?s).*${quoteRe2(contains)}.*`}}
  const stringMatch = objectField(m, 'string_match')
  if (stringMatch) return fromStringMatch(name, stringMatch)
  const present = booleanField(m, 'present_match')
  if (present === false) {
    return {matcher: {name, kind: 'present'}, warning: `present_match: false on "${name}" (match when absent) cannot be represented; shown as a presence check`}
  }
  if (present === true) return {matcher: {name, kind: 'present'}}
  const range = objectField(m, 'range_match')
  if (range) {
    return {
      matcher: {name, kind: 'present'},
      warning: `range_match [${String(field(range, 'start'))}, ${String(field(range, 'end'))}) on "${name}" cannot be represented; shown as a presence check`,
    }
  }
  // A HeaderMatcher without a specifier checks presence only (Envoy HeaderUtility).
  return {matcher: {name, kind: 'present'}}
}

export function convertHeaderMatcher(raw: unknown): MatcherConversion {
  const m = isObject(raw) ? raw : {}
  const name = stringField(m, 'name') ?? ''
  const converted = specifierOf(name, m)
  if (booleanField(m, 'invert_match') === true) {
    const note = `invert_match on "${name}" cannot be represented; shown without the inversion`
    return {matcher: converted.matcher, warning: converted.warning ? `${converted.warning}; ${note}` : note}
  }
  return converted
}
