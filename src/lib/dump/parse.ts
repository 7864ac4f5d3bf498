// Turns raw `/config_dump` output into a checked ConfigDump. `pilot-agent request` prints error bodies
// (404 text, Envoy's 400 "FieldMask … could not be applied") with a success exit status (config-dump.md
// §1.5, §4.1), so anything that is not a JSON object with a `configs` array is rejected with the text seen.

import {isObject, type JsonObject} from './json.js'
import {secretInText} from './redact.js'

export interface ConfigDump {
  configs: unknown[]
}

/** `rejected`: a value the proxy would refuse (NACK), e.g. a weight that is not a uint32; the message names its path. */
export type ConfigDumpErrorCode = 'empty' | 'not-json' | 'not-config-dump' | 'rejected'

export class ConfigDumpError extends Error {
  readonly code: ConfigDumpErrorCode
  constructor(code: ConfigDumpErrorCode, message: string) {
    super(message)
    this.name = 'ConfigDumpError'
    this.code = code
  }
}

const EXCERPT_LENGTH = 200

/** The start of a proxy's answer, to say what came back, unless it may hold a secret (then only what it looks like). */
function excerpt(text: string): string {
  const firstLines = text.trim().split(/\r?\n/).slice(0, 3).join(' ⏎ ')
  const shown = firstLines.length > EXCERPT_LENGTH ? firstLines.slice(0, EXCERPT_LENGTH) + '…' : firstLines
  const secret = secretInText(text.length > 65536 ? text.slice(0, 65536) : text)
  return secret ? `[not quoted: it holds what looks like a ${secret.label}]` : shown
}

/**
 * Where JSON.parse stopped, without the input it quotes (V8 messages include up to ~10 characters of it, which
 * may be part of a secret): `line 3, column 7: Unexpected token`.
 */
export function jsonErrorPosition(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error)
  const at = /position (\d+)/.exec(message)
  const what = message.replace(/,\s*(\.\.\.)?".*$/s, '').replace(/ in JSON at position \d+.*$/s, '').replace(/ '.+'$/, '')
  if (!at) return /Unexpected end/.test(message) ? 'unexpected end of the text' : what
  const pos = Number(at[1])
  const before = text.slice(0, pos)
  const line = before.split('\n').length
  const column = pos - before.lastIndexOf('\n')
  return `line ${line}, column ${column}: ${what}`
}

/** Envoy's protobuf JSON parser stops at 100 levels (google/protobuf util/json default recursion limit); we allow more, not unbounded. */
export const MAX_DUMP_DEPTH = 1000

/**
 * How deep a parsed JSON value nests, stopping at `limit + 1`. Recursive, but never deeper than `limit + 1`
 * frames, and without allocating per object (the earlier explicit stack built a tuple and an Object.values array
 * for every object: ~100 ms of a 50 MB dump).
 */
export function jsonDepth(value: unknown, limit: number): number {
  const walk = (v: object, d: number): number => {
    if (d > limit) return d
    let max = d
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const c = v[i]
        if (typeof c === 'object' && c !== null) {
          const m = walk(c, d + 1)
          if (m > max) { max = m; if (max > limit) return max }
        }
      }
    } else {
      for (const k in v) {
        const c = (v as Record<string, unknown>)[k]
        if (typeof c === 'object' && c !== null) {
          const m = walk(c, d + 1)
          if (m > max) { max = m; if (max > limit) return max }
        }
      }
    }
    return max
  }
  return typeof value === 'object' && value !== null ? walk(value, 1) : 0
}

function describeJson(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} element(s)`
  if (isObject(value)) {
    const keys = Object.keys(value)
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 8).map((k) => JSON.stringify(k)).join(', ')}`
  }
  return `a ${value === null ? 'null' : typeof value} value`
}

function parseText(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  if (trimmed === '') throw new ConfigDumpError('empty', 'The config dump is empty: the proxy returned no output.')
  // Envoy and pilot-agent error bodies are plain text; say so instead of quoting a JSON parser position.
  if (trimmed[0] !== '{' && trimmed[0] !== '[') {
    throw new ConfigDumpError('not-json', `The config dump is not JSON; the proxy answered: "${excerpt(trimmed)}"`)
  }
  let value: unknown
  try {
    value = JSON.parse(trimmed)
  } catch (error) {
    // Not quoted: a file given by mistake may be a key or a password file.
    throw new ConfigDumpError('not-json', `The config dump is not valid JSON (${jsonErrorPosition(error, trimmed)})`)
  }
  if (jsonDepth(value, MAX_DUMP_DEPTH) > MAX_DUMP_DEPTH) {
    throw new ConfigDumpError('not-config-dump', `The JSON nests deeper than ${MAX_DUMP_DEPTH} levels; no Envoy config dump does (its protobuf JSON parser stops at 100).`)
  }
  return value
}

/**
 * Accepts the text (or bytes) of a `/config_dump` answer or an already parsed object and checks that it is
 * an Envoy ConfigDump: an object whose `configs` is an array of JSON `Any`s. Sections are not looked at here;
 * unknown `@type`s are kept.
 */
export function parseConfigDump(input: string | Uint8Array | unknown): ConfigDump {
  let value: unknown = input
  if (typeof input === 'string') value = parseText(input)
  else if (input instanceof Uint8Array) value = parseText(Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8'))

  if (!isObject(value) || !Array.isArray(value.configs)) {
    // `istioctl proxy-config routes|listeners|clusters -o json` prints a bare list of resources (config-dump.md §4.4).
    const first = Array.isArray(value) && isObject(value[0]) ? value[0]['@type'] : undefined
    const hint = typeof first === 'string' ? ` It looks like a list of ${first.slice(first.lastIndexOf('/') + 1)} resources, as \`istioctl proxy-config … -o json\` prints; use \`istioctl proxy-config all -o json\` or /config_dump instead.` : ''
    throw new ConfigDumpError(
      'not-config-dump',
      `The JSON is not an Envoy config dump: expected an object with a "configs" array, got ${describeJson(value)}.${hint}`,
    )
  }
  const configs = value.configs as unknown[]
  for (let i = 0; i < configs.length; i++) {
    const entry = configs[i]
    if (!isObject(entry)) {
      throw new ConfigDumpError('not-config-dump', `The JSON is not an Envoy config dump: configs[${i}] is ${describeJson(entry)}, not a typed section.`)
    }
    if (typeof (entry as JsonObject)['@type'] !== 'string') {
      throw new ConfigDumpError('not-config-dump', `The JSON is not an Envoy config dump: configs[${i}] has no "@type".`)
    }
  }
  return value as unknown as ConfigDump
}
