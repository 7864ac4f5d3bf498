// RE2 semantics for `regex` matchers, two engines for the two places a pattern is judged:
// - the MetaProtocol proxy (Envoy) compiles every safe_regex with C++ RE2 (`RE2(pattern, RE2::Quiet)`), rejects the
//   table when ProgramSize() is over re2.max_program_size.error_level, and matches with RE2::FullMatch
//   (envoyproxy/envoy source/common/common/regex.cc): that is the WebAssembly build of C++ RE2 in src/lib/re2;
// - Aeraki's webhook compiles the pattern with Go's `regexp` (aeraki-mesh/aeraki
//   internal/webhook/validation/scheme/validation.go validateStringMatchRegexp; Go 1.20 for Aeraki 1.4): see
//   goRegexpError below.
// JS RegExp is never used on these patterns. See docs/re2.md.
import {createRequire} from 'node:module'
import {Re2, Re2Set} from '../re2/re2.js'


const cache = new Map<string, Re2>()

/** The pattern compiled by C++ RE2 as Envoy does (cached). */
export function compileRe2(pattern: string): Re2 {
  let re = cache.get(pattern)
  if (!re) {
    re = new Re2(pattern)
    if (cache.size > 10_000) cache.clear()
    cache.set(pattern, re)
  }
  return re
}

/** RE2::FullMatch, as the proxy matches a `regex` attribute; false for a pattern RE2 rejects. */
export function re2FullMatch(pattern: string, value: string): boolean {
  return compileRe2(pattern).fullMatch(value)
}

/**
 * A partial (unanchored) RE2 matcher, like grep or Envoy's admin `?filter=`; throws the RE2 error for a pattern that
 * does not compile. The pattern is checked alone first, so wrapping it cannot change what it means.
 */
export function re2PartialMatcher(pattern: string): (value: string) => boolean {
  const alone = compileRe2(pattern)
  if (!alone.ok) throw new Error(alone.error)
  const re = compileRe2(`(?s:.*)(?:${pattern})(?s:.*)`)
  return value => re.fullMatch(value)
}

export type Re2Check = {ok: true; programSize: number} | {ok: false; error: string}

/** What the proxy's RE2 says about a pattern: its compile error, or its exact program size. */
export function checkRe2(pattern: string): Re2Check {
  const re = compileRe2(pattern)
  return re.ok ? {ok: true, programSize: re.programSize} : {ok: false, error: re.error}
}

/**
 * Full-matches one value against many patterns in one pass (RE2::Set, a DFA over all of them), so a table of many
 * regex routes on one attribute costs one scan per request rather than one per route.
 */
export class Re2FullMatchSet {
  private readonly set: Re2Set | undefined
  private readonly each: Re2[]

  constructor(patterns: string[]) {
    this.each = patterns.map(compileRe2)
    // A set needs every pattern to compile; one RE2 rejects never matches anything (and NACKs the table anyway).
    this.set = patterns.length > 1 && this.each.every(re => re.ok) ? new Re2Set(patterns) : undefined
    if (this.set && !this.set.ok) this.set = undefined
  }

  /** Per pattern, 1 when it fully matches `value`. */
  match(value: string): Uint8Array {
    const hits = new Uint8Array(this.each.length)
    if (this.set?.matchInto(value, hits)) return hits
    // No set, or its DFA ran out of memory on this input: one pattern at a time (RE2 falls back to the NFA).
    for (let i = 0; i < this.each.length; i++) hits[i] = this.each[i].fullMatch(value) ? 1 : 0
    return hits
  }
}

// --- Aeraki's webhook: Go 1.20 regexp ----------------------------------------------------------------------------

// Go 1.20's unicode package is Unicode 13.0.0 (src/unicode/tables.go; Go 1.21 moved to 15.0.0), and regexp/syntax
// (parse.go unicodeTable) accepts "Any", the unicode.Categories names and the unicode.Scripts names, nothing else.
const GO120_CATEGORIES = 'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'
const GO120_SCRIPTS = 'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali Bhaiksuki ' +
  'Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma Cham Cherokee Chorasmian Common ' +
  'Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic ' +
  'Georgian Glagolitic Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew ' +
  'Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kayah_Li ' +
  'Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani ' +
  'Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive ' +
  'Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nandinagari New_Tai_Lue Newa Nko Nushu ' +
  'Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian ' +
  'Old_South_Arabian Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi ' +
  'Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese ' +
  'Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta ' +
  'Ugaritic Vai Wancho Warang_Citi Yezidi Yi Zanabazar_Square'
const GO120_UNICODE_NAMES = new Set(['Any', ...GO120_CATEGORIES.split(' '), ...GO120_SCRIPTS.split(' ')])

/** Perl-syntax spots where Go 1.20 and re2js (a port of RE2/J, itself modelled on Go's parser) part ways. */
function goOnlyProblem(pattern: string): string | undefined {
  const cps = [...pattern]
  let inClass = false
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]
    if (c === '\\') {
      const n = cps[i + 1]
      if (n === 'Q') {
        // \Q...\E is literal text.
        let j = i + 2
        while (j < cps.length && !(cps[j] === '\\' && cps[j + 1] === 'E')) j++
        i = j + 1
        continue
      }
      if (n === 'p' || n === 'P') {
        let name: string
        let text: string
        if (cps[i + 2] === '{') {
          const close = cps.indexOf('}', i + 3)
          if (close < 0) return undefined // re2js reports the missing brace as Go does
          name = cps.slice(i + 3, close).join('')
          text = cps.slice(i, close + 1).join('')
          i = close
        } else {
          name = cps[i + 2] ?? ''
          text = `\\${n}${name}`
          i += 2
        }
        if (name.startsWith('^')) name = name.slice(1)
        if (!GO120_UNICODE_NAMES.has(name)) return `invalid character class range: \`${text}\``
        continue
      }
      i++
      continue
    }
    if (inClass) {
      if (c === '[' && cps[i + 1] === ':') {
        const close = cps.indexOf(']', i + 2)
        if (close > 0 && cps[close - 1] === ':') i = close
      } else if (c === ']') inClass = false
      continue
    }
    if (c === '[') {
      inClass = true
      if (cps[i + 1] === '^') i++
      if (cps[i + 1] === ']') i++ // a leading ] is a literal
      continue
    }
    // Go accepts (?<name>...) only from Go 1.22 on; Go 1.20 says "invalid or unsupported Perl syntax".
    if (c === '(' && cps[i + 1] === '?' && cps[i + 2] === '<') return 'invalid or unsupported Perl syntax: `(?<`'
  }
  return undefined
}

let re2js: typeof import('re2js') | undefined

/**
 * The error Go 1.20's `regexp.Compile` gives for a pattern, or undefined when it compiles: what Aeraki's webhook
 * rejects the MetaRouter with. re2js reproduces Go's parser and messages; the places where it is newer than Go 1.20
 * (`(?<name>`, Unicode 17 scripts and extra property names) are checked first.
 */
export function goRegexpError(pattern: string): string | undefined {
  re2js ??= createRequire(import.meta.url)('re2js') as typeof import('re2js')
  try {
    re2js.RE2JS.compile(pattern)
  } catch (e) {
    return (e as Error).message
  }
  const problem = goOnlyProblem(pattern)
  return problem ? `error parsing regexp: ${problem}` : undefined
}
