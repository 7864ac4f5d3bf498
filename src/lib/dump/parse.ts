// Turns raw `/config_dump` output into a checked ConfigDump. `pilot-agent request` prints error bodies
// (404 text, Envoy's 400 "FieldMask … could not be applied") with a success exit status (config-dump.md
// §1.5, §4.1), so anything that is not a JSON object with a `configs` array is rejected with the text seen.

import {isObject, type JsonObject} from './json.js'

export interface ConfigDump {
  configs: unknown[]
}

export type ConfigDumpErrorCode = 'empty' | 'not-json' | 'not-config-dump'

export class ConfigDumpError extends Error {
  readonly code: ConfigDumpErrorCode
  constructor(code: ConfigDumpErrorCode, message: string) {
    super(message)
    this.name = 'ConfigDumpError'
    this.code = code
  }
}

const EXCERPT_LENGTH = 200

function excerpt(text: string): string {
  const firstLines = text.trim().split(/\r?\n/).slice(0, 3).join(' ⏎ ')
  return firstLines.length > EXCERPT_LENGTH ? firstLines.slice(0, EXCERPT_LENGTH) + '…' : firstLines
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
  try {
    return JSON.parse(trimmed)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigDumpError('not-json', `The config dump is not valid JSON (${reason}); it starts with "${excerpt(trimmed)}"`)
  }
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
