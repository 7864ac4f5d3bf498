// The RE2 patterns made for suffix/contains/ignore_case matchers mean the same as Envoy's literal tests.

import fc from 'fast-check'
import {RE2JS} from 're2js'
import {describe, expect, it} from 'vitest'
import {convertHeaderMatcher} from '../../../src/lib/dump/index.js'

const full = (pattern: string, value: string) => RE2JS.compile(pattern).matches(value)
const patternOf = (raw: unknown) => {
  const {matcher} = convertHeaderMatcher(raw)
  expect(matcher.kind).toBe('regex')
  return matcher.value!
}
// Metacharacters and newlines are where quoting goes wrong.
const chars = fc.string({unit: fc.constantFrom('a', 'B', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\', '\n', '-'), maxLength: 6})

describe('RE2 translations of literal matchers', () => {
  it('suffix_match / string_match.suffix ⇔ endsWith', () => {
    fc.assert(
      fc.property(chars.filter((s) => s !== ''), chars, (suffix, value) => {
        expect(full(patternOf({name: 'k', suffix_match: suffix}), value)).toBe(value.endsWith(suffix))
        expect(full(patternOf({name: 'k', string_match: {suffix}}), value)).toBe(value.endsWith(suffix))
      }),
    )
  })

  it('contains_match ⇔ includes', () => {
    fc.assert(
      fc.property(chars.filter((s) => s !== ''), chars, (part, value) => {
        expect(full(patternOf({name: 'k', contains_match: part}), value + part.slice(0, 1))).toBe((value + part.slice(0, 1)).includes(part))
      }),
    )
  })

  it('string_match exact / prefix with ignore_case ⇔ ASCII case-insensitive comparison', () => {
    fc.assert(
      fc.property(chars.filter((s) => s !== ''), chars, fc.boolean(), (expected, value, sameLetters) => {
        const candidate = sameLetters ? expected.toUpperCase() : value
        expect(full(patternOf({name: 'k', string_match: {exact: expected, ignore_case: true}}), candidate)).toBe(candidate.toLowerCase() === expected.toLowerCase())
        expect(full(patternOf({name: 'k', string_match: {prefix: expected, ignore_case: true}}), candidate)).toBe(candidate.toLowerCase().startsWith(expected.toLowerCase()))
      }),
    )
  })
})
