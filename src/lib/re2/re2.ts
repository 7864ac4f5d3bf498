// Google's C++ RE2, the engine Envoy compiles every `safe_regex` with (envoyproxy/envoy
// source/common/common/regex.cc, CompiledGoogleReMatcher), compiled to WebAssembly by scripts/build-re2-wasm.sh
// (C API: scripts/re2-wasm/api.cc; version and why: docs/re2.md). Loaded synchronously on first use, so commands
// that never meet a regex never pay for it, and the routing core stays synchronous.
import {readFileSync} from 'node:fs'

/** The RE2 release the wasm build reproduces (the MetaProtocol proxy 1.4's Envoy pins it); see docs/re2.md. */
export const RE2_VERSION = '2022-12-01'

// The few WebAssembly JS API pieces used here (the project's TS lib settings do not declare them).
type WasmApi = {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => {exports: object}
}
const WebAssemblyApi = (globalThis as unknown as {WebAssembly: WasmApi}).WebAssembly

type Exports = {
  memory: {readonly buffer: ArrayBuffer}
  _initialize(): void
  re2_malloc(n: number): number
  re2_free(p: number): void
  re2_compile(p: number, n: number): number
  re2_delete(h: number): void
  re2_ok(h: number): number
  re2_error_code(h: number): number
  re2_error(h: number): number
  re2_program_size(h: number): number
  re2_full_match(h: number, p: number, n: number): number
  re2_set_new(): number
  re2_set_delete(s: number): void
  re2_set_add(s: number, p: number, n: number): number
  re2_set_compile(s: number): number
  re2_set_match(s: number, p: number, n: number, out: number, cap: number): number
}

/** One loaded engine: the instance plus a reusable scratch area for passing strings in. */
class Engine {
  readonly x: Exports
  private scratch = 0
  private scratchSize = 0
  private readonly encoder = new TextEncoder()
  private readonly decoder = new TextDecoder()

  constructor(bytes: Uint8Array) {
    const mod = new WebAssemblyApi.Module(bytes)
    let memory: Exports['memory'] | undefined
    // RE2 built for wasm32-wasi only imports these for its (unused, RE2::Quiet) logging and abort paths.
    const wasi = {
      fd_write(_fd: number, iovs: number, iovsLen: number, nwritten: number): number {
        const view = new DataView(memory!.buffer)
        let n = 0
        for (let i = 0; i < iovsLen; i++) n += view.getUint32(iovs + i * 8 + 4, true)
        view.setUint32(nwritten, n, true)
        return 0
      },
      fd_close: () => 8,
      fd_seek: () => 8,
      environ_sizes_get(count: number, size: number): number {
        const view = new DataView(memory!.buffer)
        view.setUint32(count, 0, true)
        view.setUint32(size, 0, true)
        return 0
      },
      environ_get: () => 0,
      proc_exit(code: number): never {
        throw new Error(`RE2 aborted (exit ${code})`)
      },
    }
    const instance = new WebAssemblyApi.Instance(mod, {wasi_snapshot_preview1: wasi})
    this.x = instance.exports as unknown as Exports
    memory = this.x.memory
    this.x._initialize()
  }

  /** Copies `s` as UTF-8 into the scratch area; returns its byte length (the pointer is `this.ptr`). */
  put(s: string): number {
    const max = s.length * 3
    if (max > this.scratchSize) {
      if (this.scratch) this.x.re2_free(this.scratch)
      this.scratchSize = Math.max(max, 256)
      this.scratch = this.x.re2_malloc(this.scratchSize)
    }
    return this.encoder.encodeInto(s, new Uint8Array(this.x.memory.buffer, this.scratch, this.scratchSize)).written
  }

  get ptr(): number {
    return this.scratch
  }

  cString(p: number): string {
    const bytes = new Uint8Array(this.x.memory.buffer)
    let end = p
    while (bytes[end] !== 0) end++
    return this.decoder.decode(bytes.subarray(p, end))
  }
}

let engine: Engine | undefined
let wasmPath: URL = new URL('./re2.wasm', import.meta.url)

/** Whether the engine has been loaded (it is, the first time a pattern is compiled). */
export function re2Loaded(): boolean {
  return engine !== undefined
}

function load(): Engine {
  engine ??= new Engine(readFileSync(wasmPath))
  return engine
}

/**
 * Uses another build of the same C API (the differential test loads the build of Debian's libre2 version this
 * way). Handles made by the previous engine must not be used afterwards.
 */
export function useRe2Wasm(path: string | URL): void {
  wasmPath = typeof path === 'string' ? new URL(`file://${path}`) : path
  engine = undefined
}

// Frees the C++ objects once their JS wrappers are collected.
const handles = new FinalizationRegistry<{e: Engine; h: number; out?: number}>(({e, h, out}) => {
  if (out === undefined) e.x.re2_delete(h)
  else {
    e.x.re2_set_delete(h)
    e.x.re2_free(out)
  }
})

/** A pattern compiled as `RE2(pattern, RE2::Quiet)`: ok or the RE2 error, the program size, full matches. */
export class Re2 {
  readonly ok: boolean
  /** RE2::error() when the pattern does not compile, e.g. "invalid escape sequence: \\q". */
  readonly error: string
  /** RE2::ErrorCode name when it does not compile (e.g. "ErrorBadEscape"), "" when ok. */
  readonly errorCode: string
  /** RE2::ProgramSize(): the instruction count Envoy compares with re2.max_program_size.error_level. */
  readonly programSize: number
  private readonly e: Engine
  private readonly h: number

  constructor(readonly pattern: string) {
    const e = load()
    const n = e.put(pattern)
    const h = e.x.re2_compile(e.ptr, n)
    this.e = e
    this.h = h
    this.ok = e.x.re2_ok(h) === 1
    this.error = this.ok ? '' : e.cString(e.x.re2_error(h))
    this.errorCode = this.ok ? '' : (ERROR_CODES[e.x.re2_error_code(h)] ?? `Error${e.x.re2_error_code(h)}`)
    this.programSize = this.ok ? e.x.re2_program_size(h) : -1
    handles.register(this, {e, h})
  }

  /** RE2::FullMatch(value, re); false for a pattern that did not compile. */
  fullMatch(value: string): boolean {
    if (!this.ok) return false
    const n = this.e.put(value)
    return this.e.x.re2_full_match(this.h, this.e.ptr, n) === 1
  }
}

// re2/re2.h enum ErrorCode, in order.
const ERROR_CODES = ['NoError', 'ErrorInternal', 'ErrorBadEscape', 'ErrorBadCharClass', 'ErrorBadCharRange', 'ErrorMissingBracket',
  'ErrorMissingParen', 'ErrorUnexpectedParen', 'ErrorTrailingBackslash', 'ErrorRepeatArgument', 'ErrorRepeatSize', 'ErrorRepeatOp',
  'ErrorBadPerlOp', 'ErrorBadUTF8', 'ErrorBadNamedCapture', 'ErrorPatternTooLarge']

/**
 * RE2::Set anchored at both ends: which of many patterns fully match a value, in one DFA pass. Returns null from
 * match() when the DFA runs out of memory (the caller then matches one pattern at a time, as RE2 itself would).
 */
export class Re2Set {
  private readonly e: Engine
  private readonly h: number
  /** False when a pattern does not parse or the set does not compile; match() then always returns null. */
  readonly ok: boolean
  private readonly out: number
  private readonly cap: number

  constructor(patterns: readonly string[]) {
    const e = load()
    this.e = e
    this.h = e.x.re2_set_new()
    this.cap = patterns.length
    this.out = e.x.re2_malloc(Math.max(1, this.cap) * 4)
    handles.register(this, {e, h: this.h, out: this.out})
    let ok = true
    for (const p of patterns) {
      const n = e.put(p)
      if (e.x.re2_set_add(this.h, e.ptr, n) < 0) ok = false
    }
    this.ok = ok && e.x.re2_set_compile(this.h) === 1
  }

  /** Indices of the patterns that fully match `value` (ascending), or null when RE2 could not decide by DFA. */
  match(value: string): Int32Array | null {
    const k = this.run(value)
    return k < 0 ? null : new Int32Array(this.e.x.memory.buffer, this.out, k).slice().sort()
  }

  /**
   * The same as flags: `hits[i]` becomes 1 when pattern i fully matches (the caller zeroes `hits`); false when RE2
   * could not decide by DFA. No allocation: this is the route index's per-request path.
   */
  matchInto(value: string, hits: Uint8Array): boolean {
    const k = this.run(value)
    if (k < 0) return false
    const found = new Int32Array(this.e.x.memory.buffer, this.out, k)
    for (let i = 0; i < k; i++) hits[found[i]] = 1
    return true
  }

  private run(value: string): number {
    if (!this.ok) return -1
    const e = this.e
    const n = e.put(value)
    return e.x.re2_set_match(this.h, e.ptr, n, this.out, this.cap)
  }
}
