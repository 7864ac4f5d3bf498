// Differential test: the WebAssembly RE2 (src/lib/re2) against the real C++ library (Debian's libre2-dev, installed
// by .ci/run), through a small harness compiled here with g++ (test/lib/re2/harness.cc). Every generated and
// hand-picked pattern must agree on: compiles or not (and the error), RE2::ProgramSize(), and RE2::FullMatch on
// each input. Debian bookworm's libre2 is RE2 2022-06-01 with its Unicode tables regenerated from Debian's
// unicode-data 15.0 ("+dfsg"), which is what RE2 2022-12-01 (the proxy's) ships; see docs/re2.md.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {performance} from 'node:perf_hooks'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Re2, Re2Set} from '../../../src/lib/re2/re2.js'

const HERE = dirname(fileURLToPath(import.meta.url))
let dir = ''
let harness = ''

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 're2-harness-'))
  harness = join(dir, 'harness')
  // No skip when g++ or libre2-dev is missing: .ci/run installs them, and without them this test fails.
  execFileSync('g++', ['-std=c++17', '-O1', '-o', harness, join(HERE, 'harness.cc'), '-lre2'], {stdio: 'pipe'})
})
afterAll(() => {
  if (dir) rmSync(dir, {recursive: true, force: true})
})

type Cpp = {ok: true; programSize: number; matches: boolean[]} | {ok: false; code: number; error: string; matches: boolean[]}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex')

function runCpp(cases: Array<{pattern: string; inputs: string[]}>): Cpp[] {
  const lines: string[] = []
  for (const c of cases) {
    lines.push(`P ${hex(c.pattern)}`)
    for (const i of c.inputs) lines.push(`I ${hex(i)}`)
  }
  const out = execFileSync(harness, {input: lines.join('\n') + '\n', maxBuffer: 256 << 20}).toString().split('\n')
  let k = 0
  return cases.map(c => {
    const head = out[k++].split(' ')
    const matches = c.inputs.map(() => out[k++] === '1')
    return head[0] === 'ok'
      ? {ok: true, programSize: Number(head[1]), matches}
      : {ok: false, code: Number(head[1]), error: Buffer.from(head[2] ?? '', 'hex').toString('utf8'), matches}
  })
}

// --- pattern generator (seeded, so a failure names a reproducible pattern) ---------------------------------------
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rnd = mulberry32(20230713)
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1))
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
const chars = (s: string) => [...s]

type Node = {re: string; sample: () => string; atom: boolean}

// Character classes with characters that belong to them (Unicode classes of several scripts and sizes).
const CLASSES: Array<[string, string]> = [
  ['[a-z]', 'amz'], ['[^a-z]', 'AZ09é中'], ['\\d', '0479'], ['\\w', 'aZ_9'], ['\\s', ' \t'], ['\\pL', 'aZéжα中ㄱ'],
  ['\\p{L}', 'bΩ字'], ['\\p{Lu}', 'AÉЖΑ'], ['\\p{Ll}', 'aéжα'], ['\\p{Han}', '中字𠀀'], ['\\p{Greek}', 'αβΩ'],
  ['\\p{Cyrillic}', 'жЖя'], ['\\p{Nd}', '0٣९'], ['\\pN', '5½Ⅷ'], ['[\\p{L}\\p{N}_]', 'a_9中'], ['\\PL', '0 !'],
  ['[α-ω]', 'αλω'], ['\\p{Arabic}', 'عب'], ['\\p{Hangul}', '한글'], ['\\p{Latin}', 'aéZ'], ['[[:alpha:]]', 'aZ'],
  ['[0-9a-fA-F]', '0aF'], ['[\\x{4e00}-\\x{9fff}]', '中一'], ['\\p{Kawi}', '\u{11F04}'], ['\\p{Sc}', '$€¥'],
  ['[^\\n]', 'a中😀'], ['\\p{Devanagari}', 'कख'], ['\\p{Thai}', 'กข'], ['\\p{Emoji}', '😀'], ['\\p{Zs}', ' \u3000'],
]
const LITERALS = chars('abcxyzABC019_-/é中😀ж') as string[]
const META = chars('.*+?()[]{}|^$\\')
const WORDS = ['sayHello', 'getUser', 'putUser', 'listOrders', 'createOrder', 'deleteOrder', 'ping', 'echo', 'query',
  'update', 'login', 'logout', 'refresh', 'search', 'upload', 'download', 'notify', 'subscribe', 'publish', 'health']
const TARGETS = [100, 1024, 32768, 32768]

function anyChar(): string {
  return pick(['a', 'Z', '0', ' ', 'é', '中', '😀', 'ж', '_', '-', '\t', 'ß', 'K', 'k', '\u212a', 'ſ', 'İ'])
}

function atom(): Node {
  const r = rnd()
  if (r < 0.25) {
    const c = pick(LITERALS)
    return {re: c, sample: () => c, atom: true}
  }
  if (r < 0.3) {
    const m = pick(META)
    return {re: `\\${m}`, sample: () => m, atom: true}
  }
  if (r < 0.4) return {re: '.', sample: () => pick(['a', '中', '😀', ' ', 'é']), atom: true}
  const [re, pool] = pick(CLASSES)
  return {re, sample: () => pick(chars(pool)), atom: true}
}

// One unit of an atom costs about this many instructions (measured once with the wasm engine; only used to aim
// counted repeats at the sizes around the limits, never to decide a result).
const unitCost = new Map<string, number>()
function costOf(re: string): number {
  let c = unitCost.get(re)
  if (c === undefined) {
    const one = new Re2(`(?:${re}){1}`)
    const two = new Re2(`(?:${re}){2}`)
    c = one.ok && two.ok ? Math.max(1, two.programSize - one.programSize) : 1
    unitCost.set(re, c)
  }
  return c
}

function repeat(n: Node, depth: number): Node {
  const r = rnd()
  const body = n.atom ? n.re : `(?:${n.re})`
  const times = (k: number) => () => Array.from({length: k}, () => n.sample()).join('')
  if (r < 0.1) return {re: `${body}*`, sample: times(int(0, 3)), atom: false}
  if (r < 0.2) return {re: `${body}+`, sample: times(int(1, 3)), atom: false}
  if (r < 0.28) return {re: `${body}?`, sample: times(int(0, 1)), atom: false}
  if (r < 0.35) {
    const lo = int(0, 5)
    return {re: `${body}{${lo},}`, sample: times(lo + int(0, 2)), atom: false}
  }
  // Counted repeats, aimed at program sizes near 100, 1,024 and 32,768 (only at the top, so sizes stay meaningful).
  let count: number
  if (depth === 0 && rnd() < 0.7) {
    const target = pick(TARGETS) * (0.85 + rnd() * 0.3)
    count = Math.max(1, Math.min(1000, Math.round(target / costOf(n.re))))
  } else count = int(1, depth === 0 ? 40 : 6)
  if (rnd() < 0.3) {
    const lo = Math.max(0, count - int(0, 3))
    return {re: `${body}{${lo},${count}}`, sample: times(int(lo, count)), atom: false}
  }
  return {re: `${body}{${count}}`, sample: times(count), atom: false}
}

function node(depth: number): Node {
  const r = rnd()
  if (depth >= 3 || r < 0.3) return rnd() < 0.5 ? atom() : repeat(atom(), depth)
  if (r < 0.5) {
    const parts = Array.from({length: int(2, 4)}, () => node(depth + 1))
    return {re: parts.map(p => (p.re.includes('|') && !p.re.startsWith('(') ? `(?:${p.re})` : p.re)).join(''), sample: () => parts.map(p => p.sample()).join(''), atom: false}
  }
  if (r < 0.62) {
    const parts = Array.from({length: int(2, 4)}, () => node(depth + 1))
    return {re: `(?:${parts.map(p => p.re).join('|')})`, sample: () => pick(parts).sample(), atom: true}
  }
  if (r < 0.7) {
    // A long alternation of method names, as route tables write them.
    const words = Array.from({length: int(5, 60)}, () => `${pick(WORDS)}${int(0, 9)}`)
    return {re: `(?:${words.join('|')})`, sample: () => pick(words), atom: true}
  }
  const inner = node(depth + 1)
  if (r < 0.8) return {re: `(${inner.re})`, sample: inner.sample, atom: true}
  if (r < 0.85) return {re: `(?P<g${int(0, 3)}>${inner.re})`, sample: inner.sample, atom: true}
  return repeat({re: inner.re, sample: inner.sample, atom: false}, depth)
}

function caseFlip(s: string): string {
  return chars(s).map(c => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('')
}

function generated(count: number): Array<{pattern: string; inputs: string[]}> {
  const out: Array<{pattern: string; inputs: string[]}> = []
  for (let i = 0; i < count; i++) {
    const n = node(0)
    const flags = pick(['', '', '', '(?i)', '(?s)', '(?i)', '(?U)', '(?is)'])
    const pattern = flags + n.re
    const a = n.sample()
    const b = n.sample()
    const inputs = [a, b, flags.includes('i') ? caseFlip(a) : a + anyChar(), a.slice(0, -1), anyChar() + b, '']
    out.push({pattern, inputs})
  }
  return out
}

// Hand-picked: the figures, Go-vs-RE2 syntax differences, case folding, limits and edge cases.
const METHODS15 = 'sayHello|getUser|putUser|listOrders|createOrder|deleteOrder|ping|echo|query|update|login|logout|refresh|search|upload'
const HAND: string[] = [
  'a{99}', 'a{100}', 'a{97}', '.{100}', '(?s).{100}', '(?i)[a-z]{100}', `(?:${METHODS15})`, `(${METHODS15})`, '\\p{Han}{300}',
  '\\pL{28}', '\\pL{27}', '[\\p{L}\\p{N}_]{1,25}', '\\p{Han}{500}', '\\p{Han}{425}', '\\p{Han}{426}', '\\C', '(?P<n>a)(?P<n>b)',
  '(?<n>a)', '\\p{Garay}', '\\p{Kawi}', '\\p{Nag_Mundari}', '\\p{Vithkuqi}', '\\p{Myanmar}+', '\\p{Nd}+', '\\pN', '[[:word:]]+',
  '\\Qa.b\\E', '\\Aab\\z', '(?m)^a$', 'a{,3}', 'a{2,1}', 'x**', 'a++', 'a**', '(?i)ǅ', '[^\\x00-\\x{10FFFF}]', '\\x{110000}', '\\8',
  '\\0', '[a-\\d]', '(|a)', '()', '', '(?i)k', '(?i)ſ', '(?i)ß', '(?i)σ', 'a{1000}', 'a{1001}', '(a{10}){100}', '((a{10}){10}){10}',
  '((a{10}){10}){11}', '\\pL{1000}', '\\pL{448}', '\\pL{449}', '(?i)\\p{Lu}', '\\p{^Greek}', '\\P{^Greek}', '[\\P{L}]', '\\b\\B',
  '(?U)a+?', 'a*?', '[[:^alpha:]]', '[[:foo:]]', '\\pZ', '\\p{Any}', '\\p{Braille}{50}', '(?i)[\\x{10400}-\\x{1044f}]', '\\x{1F600}+',
  '[😀-😂]', '(?s:.)', '(?-s:.)', '(?i)Σ+', 'a|b|', '|', '(?:)', '(?P<name>x)(?P<Name>y)', '(?P<1a>x)', '(?P<>x)', '(?P=n)', '\\1',
  '(?#comment)', '(?x) a b', '[a-z', 'a)', '(a', '*', '+a', '\\', '[]a]', '[^]a]', '\\p{L', '\\pX', '\\p{IsGreek}', '(?i)\\x{212A}',
  '\\v', '\\h', '\\e', '\\cA', '\\o{101}', '\\x41', '\\x{41}', '\\101', '\\u0041', '\\N{LATIN SMALL LETTER A}', '\\X', '\\R',
]
const HAND_INPUTS = ['', 'a', 'aaa', 'a'.repeat(99), 'a'.repeat(100), 'K', 'k', '\u212a', 'S', 'ſ', 'ß', 'SS', 'Σ', 'ς', 'σ', 'ǅ', 'ǆ',
  'Ǆ', '中', '😀', '😁', '\u{11F04}', '٣', '၀', '\u1040', 'sayHello', 'query', 'a.b', 'axb', 'x', 'xy', ' ', '\n', 'ab', 'é',
  '\u{10400}', '\u{10428}', 'A', '0', '_', 'Ω', 'ω']

describe('RE2 wasm vs C++ libre2 (differential)', () => {
  it('agrees on compile ok/error, ProgramSize() and FullMatch for >= 2,000 patterns', {timeout: 600_000}, () => {
    const cases = [...HAND.map(pattern => ({pattern, inputs: HAND_INPUTS})), ...generated(2200)]
    // Around the compile budget ("pattern too large - compile failed"): \pL{448} then a{m}; C++ says where the edge
    // is (a binary search over m), and the cases straddle it.
    const edge = (m: number) => `\\pL{448}a{${m}}`
    const cppOk = (m: number) => runCpp([{pattern: edge(m), inputs: []}])[0].ok
    let lo = 1
    let hi = 1000
    expect(cppOk(lo) && !cppOk(hi), 'the compile budget edge lies inside 1..1000').toBe(true)
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (cppOk(mid)) lo = mid
      else hi = mid
    }
    for (let m = lo - 2; m <= lo + 2; m++) cases.push({pattern: edge(m), inputs: ['a']})

    const t0 = performance.now()
    const cpp = runCpp(cases)
    const t1 = performance.now()
    const disagreements: string[] = []
    const tally = {patterns: cases.length, inputs: 0, ok: 0, errors: 0, matched: 0, over100: 0, over1024: 0, over32768: 0, near32768: 0}
    cases.forEach((c, i) => {
      const want = cpp[i]
      const got = new Re2(c.pattern)
      const p = JSON.stringify(c.pattern)
      if (got.ok !== want.ok) disagreements.push(`${p}: wasm ok=${got.ok} (${got.error}), C++ ok=${want.ok}`)
      else if (want.ok && got.programSize !== want.programSize) disagreements.push(`${p}: ProgramSize wasm ${got.programSize}, C++ ${want.programSize}`)
      else if (!want.ok && got.error !== want.error) disagreements.push(`${p}: error wasm "${got.error}", C++ "${want.error}"`)
      if (want.ok) {
        tally.ok++
        if (want.programSize > 100) tally.over100++
        if (want.programSize > 1024) tally.over1024++
        if (want.programSize > 32768) tally.over32768++
        if (Math.abs(want.programSize - 32768) <= 3277) tally.near32768++
      } else tally.errors++
      c.inputs.forEach((input, j) => {
        tally.inputs++
        const m = got.fullMatch(input)
        if (want.matches[j]) tally.matched++
        if (m !== want.matches[j]) disagreements.push(`${p} on ${JSON.stringify(input)}: wasm ${m}, C++ ${want.matches[j]}`)
      })
    })
    console.log(`RE2 differential: ${JSON.stringify(tally)}, ${disagreements.length} disagreements (C++ ${Math.round(t1 - t0)} ms, wasm ${Math.round(performance.now() - t1)} ms)`)
    expect(disagreements.slice(0, 20), `${disagreements.length} disagreements`).toEqual([])
    // The sample really covers what it claims to (so zero disagreements means something).
    expect(tally.patterns).toBeGreaterThanOrEqual(2000)
    expect(tally.errors).toBeGreaterThan(50)
    expect(tally.matched).toBeGreaterThan(2000)
    expect(tally.over100).toBeGreaterThan(500)
    expect(tally.over1024).toBeGreaterThan(300)
    expect(tally.over32768).toBeGreaterThan(50)
    expect(tally.near32768).toBeGreaterThanOrEqual(40)
  })

  it('RE2::Set (the route index) reports exactly the patterns C++ FullMatch accepts', {timeout: 600_000}, () => {
    // Route-table-sized patterns (a set of many 30,000-instruction programs is past RE2::Set's own budget).
    const cases = generated(400).filter(c => {
      const re = new Re2(c.pattern)
      return re.ok && re.programSize < 3000
    })
    let checked = 0
    for (let start = 0; start < cases.length; start += 40) {
      const group = cases.slice(start, start + 40)
      const inputs = group.flatMap(c => c.inputs)
      const cpp = runCpp(group.map(c => ({pattern: c.pattern, inputs})))
      const set = new Re2Set(group.map(c => c.pattern))
      expect(set.ok).toBe(true)
      inputs.forEach((input, j) => {
        const hits = set.match(input)
        if (hits === null) return // DFA out of memory: the index then matches one pattern at a time (tested above)
        const want = cpp.flatMap((r, k) => (r.matches[j] ? [k] : []))
        expect([...hits], `${JSON.stringify(input)} against patterns ${start}..${start + group.length - 1}`).toEqual(want)
        checked++
      })
    }
    expect(checked).toBeGreaterThan(1500)
  })
})
