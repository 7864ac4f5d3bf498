// The one redactor for everything the CLI prints from a config dump (sidecar-config, gateway-config, sidecar
// admin, route dry-run --config-dump, route verify). Envoy itself only redacts fields its protos annotate
// `(udpa.annotations.sensitive) = true`, and only in typed config; untyped Struct config (TypedStruct values,
// filter metadata, WasmPlugin JSON in a StringValue) is printed as is (docs/config-dump.md §1.6). So secrets are
// found three ways, and each way is enough on its own:
//
// 1. By structure: the fields Envoy's v3 API marks sensitive (envoyproxy/data-plane-api, `git grep
//    "sensitive) = true" -- envoy/`): TlsCertificate.private_key/password/pkcs12, PrivateKeyProvider.typed_config,
//    TlsSessionTicketKeys.keys, GenericSecret.secret/secrets, GoogleGrpc SslCredentials.private_key,
//    FileBasedMetadataConfig.secret_data, BasicAuth.users, ApiKeyAuth.credentials, CheckSettings.context_extensions,
//    RedisProxy auth_password/auth_username/downstream_auth_*, aws credentials (secret_access_key, session_token,
//    credentials_data_source, web_identity_token_data_source), SkyWalking backend_token. Fields with a generic
//    name (`users`, `credentials`, `typed_config`, `keys`) only inside their message (by @type, TypedStruct
//    type_url or parent field).
// 2. By name: SENSITIVE_NAMES below, compared case-insensitively with `_`, `-` and `.` ignored (so `apiKey`,
//    `API_KEY`, `api-key` and `apikey` are one name), plus the suffixes in SENSITIVE_SUFFIXES. A name also marks the
//    value of a `{key|name|header: NAME, value: …}` pair (headers, request_mutation, env lists) and a
//    `NAME: value` / `NAME=value` inside text. JWK private members (d, p, q, dp, dq, qi, k, oth) in objects with `kty`.
// 3. By content, in every string whatever its field: PEM private key blocks anywhere (RSA, EC, PKCS#8, encrypted,
//    OpenSSH, PGP), also base64-encoded at any offset and base64 inside base64; DER private keys (PKCS#8, PKCS#1,
//    SEC1) in base64; `Bearer …` and `Basic …` credentials and JWTs anywhere in text (e.g. inline Lua code); URI
//    userinfo passwords (`https://user:pw@host`); and JSON inside a string is parsed and redacted recursively.
//
// A secret string is replaced whole by a marker naming what was there and its size, e.g.
// `[redacted: PEM private key, 1704 bytes]`; never part of it. The walkers are iterative: a dump nested 50,000
// levels deep is redacted without recursion.

import {isObject, type JsonObject} from './json.js'

/** What Envoy prints for a redacted string field. */
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
  | 'basic_credentials'
  | 'jwt'
  | 'uri_password'
  | 'jwk_private'

export interface RedactionResult<T> {
  dump: T
  /** Secrets we replaced (a sensitive field counts once, however many strings it held). */
  redactedCount: number
  /** Sensitive fields that were already redacted (by Envoy) and left as they were. */
  alreadyRedactedCount: number
  byKind: Partial<Record<SecretKind, number>>
  /** JSON paths of what we replaced, e.g. `configs[6].dynamic_active_secrets[0].secret.tls_certificate.private_key`. */
  paths: string[]
}

/** `apiKey`, `API_KEY`, `api-key`, `Api.Key` → `apikey`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '')
}

/**
 * Names (normalized) whose value is secret wherever they appear: Envoy's sensitive proto fields, common
 * credential headers, and the usual spellings of passwords, tokens and keys in Struct config and environments.
 */
export const SENSITIVE_NAMES: Readonly<Record<string, SecretKind>> = {
  // Envoy TLS / secrets
  privatekey: 'private_key', pkcs12: 'pkcs12', password: 'password', sessionticketkeys: 'session_ticket_keys',
  genericsecret: 'generic_secret', hmacsecret: 'hmac_secret', hmac: 'hmac_secret',
  // other Envoy sensitive fields with a specific name
  secretdata: 'credential', backendtoken: 'credential', sessiontoken: 'credential', secretaccesskey: 'credential',
  credentialsdatasource: 'credential', webidentitytokendatasource: 'credential', contextextensions: 'credential',
  authpassword: 'password', authusername: 'credential', downstreamauthpassword: 'password', downstreamauthpasswords: 'password',
  downstreamauthusername: 'credential',
  // OAuth2 / cloud credentials
  clientsecret: 'credential', tokensecret: 'credential', awssecretaccesskey: 'credential', awssessiontoken: 'credential',
  accesstoken: 'credential', refreshtoken: 'credential', idtoken: 'credential', authtoken: 'credential', bearertoken: 'credential',
  googlerefreshtoken: 'credential', jsonkey: 'credential', apikey: 'credential', token: 'credential', secretkey: 'credential',
  signingkey: 'private_key', encryptionkey: 'credential', masterkey: 'credential', passphrase: 'password', passwd: 'password',
  secret: 'credential', credential: 'credential', credentials: 'credential', clientkeydata: 'private_key', connectionstring: 'credential',
  // headers
  authorization: 'auth_header', proxyauthorization: 'auth_header', cookie: 'auth_header', setcookie: 'auth_header',
  xapikey: 'auth_header', xauthtoken: 'auth_header', xgoogapikey: 'auth_header', xvaulttoken: 'auth_header',
  xamzsecuritytoken: 'auth_header', xcsrftoken: 'auth_header',
}

/** Normalized suffixes that make any name sensitive (`DB_PASSWORD`, `github_token`, `stripe_secret`, `svc_api_key`). */
export const SENSITIVE_SUFFIXES: ReadonlyArray<[string, SecretKind]> = [
  ['password', 'password'], ['passwords', 'password'], ['passwd', 'password'], ['privatekey', 'private_key'],
  ['secret', 'credential'], ['token', 'credential'], ['apikey', 'credential'], ['secretkey', 'credential'], ['signingkey', 'private_key'],
]

/** Names that are secret only when their value is a plain string (an object under them is walked normally). */
const LEAF_ONLY_NAMES = new Set(['secret', 'credential', 'credentials', 'token'])

/** JWK (RFC 7517/7518) private members, only in objects that have `kty`. */
const JWK_PRIVATE = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'])

/** Fields with a generic name that Envoy marks sensitive in one message only, by that message's type name. */
const TYPED_SENSITIVE: ReadonlyArray<[RegExp, string, SecretKind]> = [
  [/\.BasicAuth(PerRoute)?$/, 'users', 'password'],
  [/\.ApiKeyAuth(PerRoute)?$/, 'credentials', 'credential'],
  [/\.PrivateKeyProvider$/, 'typedconfig', 'private_key'],
  [/\.TlsSessionTicketKeys$/, 'keys', 'session_ticket_keys'],
  [/\.GenericSecret$/, 'secrets', 'generic_secret'],
]
/** The same fields by the name of the field holding their message, for untyped copies (`basic_auth: {users: …}`). */
const PARENT_SENSITIVE: Readonly<Record<string, Record<string, SecretKind>>> = {
  basicauth: {users: 'password'},
  apikeyauth: {credentials: 'credential'},
  privatekeyprovider: {typedconfig: 'private_key', config: 'private_key'},
  genericsecret: {secret: 'generic_secret', secrets: 'generic_secret'},
}

/** Fields of a `{name, value}`-like pair that hold the value. */
const PAIR_NAME_FIELDS = ['key', 'name', 'header', 'headerName', 'header_name']
const PAIR_VALUE_FIELDS = new Set(['value', 'values', 'exactmatch', 'prefixmatch', 'suffixmatch', 'containsmatch', 'stringmatch', 'saferegexmatch', 'presentmatch', 'exact', 'prefix', 'suffix', 'contains', 'rawvalue'])

/**
 * `fn` remembered per string argument, for the first 10,000 arguments: a dump repeats a few hundred field names
 * thousands of times, and a hostile one must not grow the cache without bound.
 */
function memoByName<T>(fn: (name: string) => T): (name: string) => T {
  const cache = new Map<string, T>()
  return (name) => {
    if (cache.has(name)) return cache.get(name)!
    const value = fn(name)
    if (cache.size < 10_000) cache.set(name, value)
    return value
  }
}

const norm = memoByName(normalizeName)

const kindOfName = memoByName((name) => nameKind(norm(name)))

/** The kind of secret a field name holds, if any. */
export function sensitiveNameKind(name: string): SecretKind | undefined {
  return kindOfName(name)
}

function nameKind(n: string): SecretKind | undefined {
  if (Object.hasOwn(SENSITIVE_NAMES, n)) return SENSITIVE_NAMES[n]
  for (const [suffix, kind] of SENSITIVE_SUFFIXES) if (n.length > suffix.length && n.endsWith(suffix)) return kind
  return undefined
}

const LABELS: Record<SecretKind, string> = {
  private_key: 'private key', pkcs12: 'PKCS#12 bundle', password: 'password', session_ticket_keys: 'session ticket key',
  generic_secret: 'generic secret', hmac_secret: 'HMAC secret', credential: 'credential', auth_header: 'credential header',
  bearer_token: 'bearer token', basic_credentials: 'basic auth credentials', jwt: 'JWT', uri_password: 'URI password', jwk_private: 'JWK private member',
}

/** What a marker calls a secret of this kind ("password", "bearer token", …). */
export function secretLabel(kind: SecretKind): string {
  return LABELS[kind]
}

/** The marker that replaces a secret: what it was and how many bytes it had. */
export function redactionMarker(label: string, bytes: number): string {
  return `[redacted: ${label}, ${bytes} byte${bytes === 1 ? '' : 's'}]`
}

/** A marker we (or Envoy) wrote: never redacted again, and counted as already redacted. */
function isAlreadyRedacted(value: string): boolean {
  return value === REDACTED || value === REDACTED_BYTES || (value.startsWith('[redacted') && value.endsWith(']') && value.length < 80)
}

// ---------------------------------------------------------------------------------------------------------
// Content

interface Found {
  kind: SecretKind
  label: string
}

const PEM_PRIVATE = /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----/
const BEARER = /\bBearer\s+([A-Za-z0-9._~+/=-]{8,})/i
const BASIC = /\bBasic\s+([A-Za-z0-9+/]{6,}={0,2})/i
const TOKEN_SCHEME = /^\s*Token\s+[A-Za-z0-9._~+/=-]{8,}/i
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/
const URI_PASSWORD = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/
/** `NAME: value`, `NAME=value`, `"NAME": "value"` inside text. */
const NAMED_IN_TEXT = /([A-Za-z][A-Za-z0-9_.-]*)["']?\s*[:=]\s*["']?([^\s"',;&}{)]+)/g
const NAME_HINTS = /pass|secret|token|key|auth|cookie|credential/i
const BASE64_CHAR = /[A-Za-z0-9+/_-]/

function isPrintable(buf: Buffer): boolean {
  let bad = 0
  const n = Math.min(buf.length, 4096)
  for (let i = 0; i < n; i++) {
    const b = buf[i]
    if (b < 9 || (b > 13 && b < 32) || b === 127) bad++
  }
  return bad <= n / 100
}

/** Whether bytes are a DER private key: PKCS#8 PrivateKeyInfo, PKCS#1 RSAPrivateKey or SEC1 ECPrivateKey (RFC 5208, 8017, 5915). */
export function isDerPrivateKey(der: Buffer, loose = false): boolean {
  const outer = readTlv(der, 0)
  if (!outer || outer.tag !== 0x30) return false
  if (outer.end !== der.length && !(loose && outer.end <= der.length)) return false
  const version = readTlv(der, outer.body)
  if (!version) return false
  if (loose && outer.end === der.length && der.length >= 32) return true // an ASN.1 SEQUENCE under a key-like name
  if (version.tag !== 0x02 || version.end - version.body !== 1) return false
  const v = der[version.body]
  const next = readTlv(der, version.end)
  if (!next) return false
  if ((v === 0 || v === 1) && next.tag === 0x30) return true // PKCS#8: version, AlgorithmIdentifier, OCTET STRING
  if (v === 0 && next.tag === 0x02) return true // PKCS#1: version, modulus, …
  if (v === 1 && next.tag === 0x04) return true // SEC1: version, privateKey OCTET STRING
  return false
}

function readTlv(buf: Buffer, at: number): {tag: number; body: number; end: number} | undefined {
  if (at + 2 > buf.length) return undefined
  const tag = buf[at]
  let len = buf[at + 1]
  let body = at + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || body + n > buf.length) return undefined
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + buf[body + i]
    body += n
  }
  return {tag, body, end: body + len}
}

function decodeBase64(text: string): Buffer {
  const clean = text.replace(/\\n/g, '').replace(/\s/g, '')
  return Buffer.from(clean, clean.includes('-') || clean.includes('_') ? 'base64url' : 'base64')
}

/** Runs of base64 (MIME line breaks allowed) long enough to hold a key. */
function base64Runs(value: string, min: number): string[] {
  const runs: string[] = []
  let start = -1
  let chars = 0
  const flush = (end: number) => {
    if (start >= 0 && chars >= min) runs.push(value.slice(start, end))
    start = -1
    chars = 0
  }
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (BASE64_CHAR.test(c)) {
      if (start < 0) start = i
      chars++
    } else if (c === '=' && start >= 0) {
      while (value[i + 1] === '=') i++
      flush(i + 1)
    } else if ((c === '\n' || c === '\r') && start >= 0) {
      continue
    } else if (c === '\\' && value[i + 1] === 'n' && start >= 0) {
      i++
      continue
    } else flush(i)
  }
  flush(value.length)
  return runs
}

/**
 * What secret a string holds by its content alone, or undefined. `keyLike`: the field's name ends in key/keys,
 * so any base64 ASN.1 SEQUENCE counts as a DER key. `depth` bounds base64-inside-base64.
 */
export function secretInText(value: string, keyLike = false, depth = 0): Found | undefined {
  if (value.length < 8) return undefined
  const pem = PEM_PRIVATE.exec(value)
  if (pem) return {kind: 'private_key', label: pem[2] ? 'PGP private key' : 'PEM private key'}
  if (JWT.test(value)) return {kind: 'jwt', label: 'JWT'}
  const bearer = BEARER.exec(value)
  if (bearer && /[0-9._~+/=-]/.test(bearer[1])) return {kind: 'bearer_token', label: 'bearer token'}
  const basic = BASIC.exec(value)
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('latin1')
    if (decoded.includes(':') && isPrintable(Buffer.from(decoded, 'latin1'))) return {kind: 'basic_credentials', label: 'basic auth credentials'}
  }
  if (TOKEN_SCHEME.test(value)) return {kind: 'bearer_token', label: 'token'}
  if (URI_PASSWORD.test(value)) return {kind: 'uri_password', label: 'URI password'}
  if (NAME_HINTS.test(value)) {
    NAMED_IN_TEXT.lastIndex = 0
    for (let m = NAMED_IN_TEXT.exec(value); m; m = NAMED_IN_TEXT.exec(value)) {
      const kind = sensitiveNameKind(m[1])
      // `authorization: Bearer [redacted: …]`: the scheme word is left, its token already went.
      const schemeOfRedacted = /^(Bearer|Token|Basic)$/i.test(m[2]) && /^\s+\[redacted/.test(value.slice(m.index + m[0].length))
      if (kind && m[2].length >= 4 && !isAlreadyRedacted(m[2]) && !m[2].startsWith('[redacted') && !schemeOfRedacted) return {kind, label: `${LABELS[kind]} in text`}
    }
  }
  if (depth < 3 && value.length >= 24) {
    for (const run of base64Runs(value, keyLike ? 24 : 40)) {
      // A run glued to other letters may start off the base64 grid: try the four alignments.
      for (let shift = 0; shift < 4; shift++) {
        const bytes = decodeBase64(run.slice(shift))
        if (bytes.length < 16) break
        if (isPrintable(bytes)) {
          const inner = secretInText(bytes.toString('utf8'), keyLike, depth + 1)
          if (inner) return {kind: inner.kind, label: inner.label.endsWith('(base64)') ? inner.label : `${inner.label} (base64)`}
        } else if (isDerPrivateKey(bytes, shift === 0 && keyLike && run.length === value.trim().length)) {
          return {kind: 'private_key', label: 'DER private key'}
        }
        if (shift === 0 && run.length === value.length) break // a whole base64 value is on the grid
      }
    }
  }
  return undefined
}

const BASE64_VALUE = /^[A-Za-z0-9+/=\s_-]*$/

/** A `bytes` field (`inline_bytes`) is base64 of what it holds: look at what it holds. */
function inspectValue(value: string, key: string | undefined, keyLike: boolean): Found | undefined {
  if (key !== undefined && norm(key) === 'inlinebytes' && BASE64_VALUE.test(value)) {
    const bytes = decodeBase64(value)
    if (isPrintable(bytes)) {
      const inner = secretInText(bytes.toString('utf8'), keyLike)
      if (inner) return inner
    } else if (isDerPrivateKey(bytes, keyLike)) return {kind: 'private_key', label: 'DER private key'}
  }
  return secretInText(value, keyLike)
}

/** Size of a value as stored: decoded bytes for base64 `bytes` fields, UTF-8 bytes otherwise. */
function sizeOf(value: string, bytesField: boolean): number {
  if (bytesField && BASE64_VALUE.test(value)) return decodeBase64(value).length
  return Buffer.byteLength(value)
}

// ---------------------------------------------------------------------------------------------------------
// The walker

interface PathNode {
  up: PathNode | undefined
  part: string | number
}

interface FieldState {
  kind: SecretKind
  changed: boolean
  leaves: number
}

interface Task {
  src: unknown
  dst: unknown[] | JsonObject | undefined
  slot: string | number
  path: PathNode | undefined
  key: string | undefined
  /** Inside a sensitive field: every string leaf goes. */
  field: FieldState | undefined
  /** The message type this object's fields belong to (its own @type, or a TypedStruct's type_url). */
  type: string | undefined
}

function isPlain(value: unknown): value is JsonObject {
  if (!isObject(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

const MAX_JSON_IN_STRING_DEPTH = 8

class Redactor {
  redactedCount = 0
  alreadyRedactedCount = 0
  byKind: Partial<Record<SecretKind, number>> = {}
  paths: string[] = []
  private readonly fields: FieldState[] = []

  constructor(private readonly jsonDepth = 0) {}

  private record(kind: SecretKind, path: PathNode | undefined): void {
    this.redactedCount++
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1
    const parts: Array<string | number> = []
    for (let p = path; p; p = p.up) parts.push(p.part)
    let text = ''
    for (let i = parts.length - 1; i >= 0; i--) {
      const part = parts[i]
      text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`
    }
    this.paths.push(text)
  }

  /** A string outside sensitive fields: by content, or as JSON holding secrets. */
  private stringValue(value: string, key: string | undefined, path: PathNode | undefined): string {
    if (value.length < 8 || isAlreadyRedacted(value)) return value
    const embedded = this.embeddedJson(value, path)
    if (embedded !== undefined) return embedded
    const keyLike = key !== undefined && /keys?$/.test(norm(key))
    const found = inspectValue(value, key, keyLike)
    if (!found) return value
    this.record(found.kind, path)
    return redactionMarker(found.label, sizeOf(value, key !== undefined && norm(key) === 'inlinebytes'))
  }

  /** JSON inside a string (a WasmPlugin configuration in a StringValue): redacted as JSON, then printed back. */
  private embeddedJson(value: string, path: PathNode | undefined): string | undefined {
    if (this.jsonDepth >= MAX_JSON_IN_STRING_DEPTH) return undefined
    const t = value.trimStart()
    if (t[0] !== '{' && t[0] !== '[') return undefined
    let parsed: unknown
    try {
      parsed = JSON.parse(value)
    } catch {
      return undefined
    }
    const inner = new Redactor(this.jsonDepth + 1)
    const out = inner.run(parsed)
    if (inner.redactedCount === 0) return value
    this.redactedCount += inner.redactedCount
    for (const [k, n] of Object.entries(inner.byKind)) this.byKind[k as SecretKind] = (this.byKind[k as SecretKind] ?? 0) + n
    const prefix = this.pathText(path)
    for (const p of inner.paths) this.paths.push(`${prefix}(json)${p.startsWith('[') ? '' : '.'}${p}`)
    try {
      return JSON.stringify(out)
    } catch {
      return redactionMarker('JSON with secrets', Buffer.byteLength(value))
    }
  }

  private pathText(path: PathNode | undefined): string {
    const parts: Array<string | number> = []
    for (let p = path; p; p = p.up) parts.push(p.part)
    return parts.reverse().map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
  }

  private blankString(value: string, key: string | undefined, field: FieldState, path: PathNode | undefined): string {
    field.leaves++
    if (isAlreadyRedacted(value)) return value
    if (!field.changed) this.record(field.kind, path)
    field.changed = true
    const found = inspectValue(value, key, true)
    const label = found?.label ?? LABELS[field.kind]
    return redactionMarker(label, sizeOf(value, key !== undefined && norm(key) === 'inlinebytes'))
  }

  /** Which kind of secret `obj[key]` holds by structure or name, if any. */
  private fieldKind(obj: JsonObject, key: string, type: string | undefined, parentKey: string | undefined): SecretKind | undefined {
    const n = norm(key)
    if (typeof obj.kty === 'string' && JWK_PRIVATE.has(key)) return 'jwk_private'
    if (type) for (const [pattern, field, kind] of TYPED_SENSITIVE) if (field === n && pattern.test(type)) return kind
    if (parentKey) {
      const parent = norm(parentKey)
      // Own properties only: a field named "constructor" must not find Object.prototype's.
      if (Object.hasOwn(PARENT_SENSITIVE, parent) && Object.hasOwn(PARENT_SENSITIVE[parent], n)) return PARENT_SENSITIVE[parent][n]
    }
    const kind = sensitiveNameKind(key)
    if (kind && LEAF_ONLY_NAMES.has(n) && typeof obj[key] !== 'string') return undefined
    return kind
  }

  /** The secret name of a `{key: NAME, value: …}` pair, if it is one. */
  private pairKind(obj: JsonObject): SecretKind | undefined {
    for (const f of PAIR_NAME_FIELDS) {
      const name = obj[f]
      if (typeof name === 'string') return sensitiveNameKind(name) ? 'auth_header' : undefined
    }
    return undefined
  }

  run(root: unknown): unknown {
    const holder: JsonObject = {}
    const stack: Array<Task & {parentKey?: string}> = [{src: root, dst: holder, slot: 'root', path: undefined, key: undefined, field: undefined, type: undefined}]
    while (stack.length > 0) {
      const t = stack.pop()!
      const {src, path, field} = t
      let out: unknown
      if (typeof src === 'string') {
        out = field ? this.blankString(src, t.key, field, path) : this.stringValue(src, t.key, path)
      } else if (Array.isArray(src)) {
        const arr = new Array<unknown>(src.length)
        out = arr
        for (let i = src.length - 1; i >= 0; i--) {
          stack.push({src: src[i], dst: arr, slot: i, path: {up: path, part: i}, key: t.key, field, type: undefined, parentKey: t.key})
        }
      } else if (isPlain(src)) {
        const obj: JsonObject = {}
        out = obj
        const ownType = typeof src['@type'] === 'string' ? (src['@type'] as string) : t.type
        const isTypedStruct = ownType !== undefined && /\.TypedStruct$/.test(ownType) && typeof (src.type_url ?? src.typeUrl) === 'string'
        const pair = field ? undefined : this.pairKind(src)
        const keys = Object.keys(src)
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i]
          const child = src[key]
          const childPath: PathNode = {up: path, part: key}
          let childField = field
          if (!field && key !== '@type') {
            const kind = this.fieldKind(src, key, ownType, t.parentKey) ?? (pair && PAIR_VALUE_FIELDS.has(norm(key)) ? pair : undefined)
            if (kind && !isSdsReference(child)) {
              childField = {kind, changed: false, leaves: 0}
              this.fields.push(childField)
            }
          }
          if (key === '@type' && typeof child === 'string') {
            obj[key] = child
            continue
          }
          const childType = isTypedStruct && key === 'value' ? String(src.type_url ?? src.typeUrl) : undefined
          stack.push({src: child, dst: obj, slot: key, path: childPath, key, field: childField, type: childType, parentKey: key})
        }
      } else if (field && (typeof src === 'number' || typeof src === 'bigint')) {
        // A numeric secret (a PIN, a numeric key member) is still a secret.
        field.leaves++
        if (!field.changed) this.record(field.kind, path)
        field.changed = true
        out = redactionMarker(LABELS[field.kind], String(src).length)
      } else {
        out = src
      }
      ;(t.dst as Record<string | number, unknown>)[t.slot] = out
    }
    for (const f of this.fields) if (!f.changed && f.leaves > 0) this.alreadyRedactedCount++
    this.fields.length = 0
    return holder.root
  }
}

/** A reference to an SDS secret (`{name, sds_config}`) names a secret without containing it. */
function isSdsReference(value: unknown): boolean {
  return isObject(value) && ('sds_config' in value || 'sdsConfig' in value)
}

/**
 * A deep copy of `dump` with every secret replaced by a marker (see the top of this file), plus counts. The input
 * is not modified. Only arrays and plain objects are copied; other objects (Maps, class instances) are kept as is.
 */
export function redactSecrets<T>(dump: T): RedactionResult<T> {
  const redactor = new Redactor()
  const copy = redactor.run(dump) as T
  return {
    dump: copy,
    redactedCount: redactor.redactedCount,
    alreadyRedactedCount: redactor.alreadyRedactedCount,
    byKind: redactor.byKind,
    paths: redactor.paths,
  }
}

/**
 * What every command that prints dump content calls on the value it is about to print: the redacted copy and how
 * many secrets went, or the value itself with `showSecrets` (`--show-secrets`).
 */
export function redactForDisplay<T>(value: T, showSecrets: boolean): {value: T; redacted: number} {
  if (showSecrets) return {value, redacted: 0}
  const r = redactSecrets(value)
  return {value: r.dump, redacted: r.redactedCount}
}

/** The stderr note after a redacted print, or undefined when nothing was redacted. */
export function redactionNote(redacted: number): string | undefined {
  return redacted > 0 ? `${redacted} secret value(s) shown as [redacted: …]; --show-secrets shows them.` : undefined
}
