// Redacts secrets in a config dump, more widely than Envoy does. Envoy only redacts fields annotated
// `sensitive` in typed config, printing bytes as base64 of "[redacted]"; untyped Struct config (TypedStruct
// values that could not be reified, filter metadata) is left as is (config-dump.md §1.6). We therefore match by
// field name in both casings, by header name, and by what a value looks like (PEM private keys, bearer tokens, JWTs).

import {camelToSnake, isObject, type JsonObject} from './json.js'

export const REDACTED = '[redacted]'
/** How Envoy prints a redacted `bytes` field: base64 of "[redacted]". */
export const REDACTED_BYTES = Buffer.from(REDACTED).toString('base64')

export type SecretKind =
  | 'private_key'
  | 'pkcs12'
  | 'password'
  | 'session_ticket_keys'
  | 'generic_secret'
  | 'hmac_secret'
  | 'credential'
  | 'auth_header'
  | 'bearer_token'
  | 'jwt'

export interface RedactionResult<T> {
  dump: T
  /** Secrets we replaced. */
  redactedCount: number
  /** Sensitive fields that were already redacted (by Envoy) and left as they were. */
  alreadyRedactedCount: number
  byKind: Partial<Record<SecretKind, number>>
  /** JSON paths of what we replaced, e.g. `configs[6].dynamic_active_secrets[0].secret.tls_certificate.private_key`. */
  paths: string[]
}

/** Field names (snake_case) whose whole subtree is secret. */
const SENSITIVE_FIELDS: Record<string, SecretKind> = {
  private_key: 'private_key',
  pkcs12: 'pkcs12',
  password: 'password',
  session_ticket_keys: 'session_ticket_keys',
  generic_secret: 'generic_secret',
  hmac_secret: 'hmac_secret',
  hmac: 'hmac_secret',
  client_secret: 'credential',
  token_secret: 'credential',
  secret_access_key: 'credential',
  session_token: 'credential',
  access_token: 'credential',
  refresh_token: 'credential',
  id_token: 'credential',
  google_refresh_token: 'credential',
  json_key: 'credential',
  api_key: 'credential',
  bearer_token: 'credential',
  token: 'credential',
}

const SENSITIVE_SUFFIXES: ReadonlyArray<[RegExp, SecretKind]> = [
  [/_password$/, 'password'],
  [/_private_key$/, 'private_key'],
]

/** Header names whose values are credentials, wherever a `{key|name, value}` pair or a header matcher names them. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token', 'x-amz-security-token'])
const HEADER_VALUE_FIELDS = new Set(['value', 'exact_match', 'prefix_match', 'suffix_match', 'contains_match', 'string_match', 'safe_regex_match'])

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/
const BASE64_PEM_START = 'LS0tLS1CRUdJTi' // base64 of "-----BEGIN"
const AUTH_SCHEME_TOKEN = /^\s*(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/i
const JWT = /^eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*$/

const snakeCache = new Map<string, string>()
/** Proto field names in either casing, plus Struct keys written as `DB_PASSWORD` or `client-secret`. */
function snake(key: string): string {
  let s = snakeCache.get(key)
  if (s === undefined) {
    s = (/[a-z]/.test(key) ? camelToSnake(key) : key.toLowerCase()).replace(/-/g, '_')
    snakeCache.set(key, s)
  }
  return s
}

function sensitiveKindOf(key: string): SecretKind | undefined {
  const name = snake(key)
  const direct = SENSITIVE_FIELDS[name]
  if (direct) return direct
  for (const [pattern, kind] of SENSITIVE_SUFFIXES) if (pattern.test(name)) return kind
  return undefined
}

/** A reference to an SDS secret (`{name, sds_config}`) names a secret without containing it. */
function isSdsReference(value: unknown): boolean {
  return isObject(value) && ('sds_config' in value || 'sdsConfig' in value)
}

function isAlreadyRedacted(value: string): boolean {
  return value === REDACTED || value === REDACTED_BYTES
}

/** What a string looks like, regardless of its field name. */
function secretKindOfValue(value: string): SecretKind | undefined {
  if (value.length < 16) return undefined
  if (PEM_PRIVATE_KEY.test(value)) return 'private_key'
  if (value.startsWith(BASE64_PEM_START) && PEM_PRIVATE_KEY.test(Buffer.from(value, 'base64').toString('latin1'))) return 'private_key'
  if (AUTH_SCHEME_TOKEN.test(value)) return 'bearer_token'
  if (JWT.test(value)) return 'jwt'
  return undefined
}

class Redactor {
  redactedCount = 0
  alreadyRedactedCount = 0
  byKind: Partial<Record<SecretKind, number>> = {}
  paths: string[] = []
  private readonly path: Array<string | number> = []

  private record(kind: SecretKind): void {
    this.redactedCount++
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1
    let text = ''
    for (const part of this.path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`
    this.paths.push(text)
  }

  /** Copies a subtree replacing every string leaf; returns whether anything changed and whether any leaf existed. */
  private blank(value: unknown, key: string | undefined, state: {changed: boolean; leaves: number}): unknown {
    if (typeof value === 'string') {
      state.leaves++
      if (isAlreadyRedacted(value)) return value
      state.changed = true
      return key !== undefined && snake(key) === 'inline_bytes' ? REDACTED_BYTES : REDACTED
    }
    if (Array.isArray(value)) return value.map((v) => this.blank(v, undefined, state))
    if (isObject(value)) {
      const out: JsonObject = {}
      for (const k of Object.keys(value)) out[k] = k === '@type' ? value[k] : this.blank(value[k], k, state)
      return out
    }
    return value
  }

  private redactField(value: unknown, kind: SecretKind, key: string): unknown {
    const state = {changed: false, leaves: 0}
    const out = this.blank(value, key, state)
    if (state.changed) this.record(kind)
    else if (state.leaves > 0) this.alreadyRedactedCount++
    return out
  }

  private isSecretHeader(obj: JsonObject): boolean {
    const name = obj.key ?? obj.name ?? obj.header_name ?? obj.headerName
    return typeof name === 'string' && SECRET_HEADERS.has(name.toLowerCase())
  }

  copy(value: unknown): unknown {
    if (typeof value === 'string') {
      const kind = secretKindOfValue(value)
      if (kind) {
        this.record(kind)
        return REDACTED
      }
      return value
    }
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length)
      for (let i = 0; i < value.length; i++) {
        this.path.push(i)
        out[i] = this.copy(value[i])
        this.path.pop()
      }
      return out
    }
    if (!isObject(value)) return value
    const secretHeader = this.isSecretHeader(value)
    const out: JsonObject = {}
    for (const key of Object.keys(value)) {
      const child = value[key]
      this.path.push(key)
      const kind = sensitiveKindOf(key)
      if (kind && !isSdsReference(child)) out[key] = this.redactField(child, kind, key)
      else if (secretHeader && HEADER_VALUE_FIELDS.has(snake(key))) out[key] = this.redactField(child, 'auth_header', key)
      else out[key] = this.copy(child)
      this.path.pop()
    }
    return out
  }
}

/**
 * A deep copy of `dump` with every secret replaced by "[redacted]" (base64 of it in `inline_bytes`, as Envoy
 * prints it), plus counts. The input is not modified.
 */
export function redactSecrets<T>(dump: T): RedactionResult<T> {
  const redactor = new Redactor()
  const copy = redactor.copy(dump) as T
  return {
    dump: copy,
    redactedCount: redactor.redactedCount,
    alreadyRedactedCount: redactor.alreadyRedactedCount,
    byKind: redactor.byKind,
    paths: redactor.paths,
  }
}
