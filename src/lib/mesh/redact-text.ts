// Every admin/debug answer aerakictl prints goes through the one redactor (src/lib/dump/redact.ts): JSON answers
// as documents, text answers line by line (a PEM private key block as a whole), so a stats or logging page with a
// token in it is masked the same way a config dump is. On a text line a credential header keeps its name and only
// its value becomes the marker: `authorization: Bearer [redacted: bearer token, 32 bytes]`, also in the form
// Envoy's debug log prints request headers (`'authorization', 'Bearer …'`; envoyproxy/envoy,
// source/common/http/header_map_impl.cc, HeaderMapImpl::dumpState / the `request headers complete` log line).
import {redactionMarker, redactSecrets, secretLabel, sensitiveNameKind} from '../dump/redact.js'

/** `Bearer <token>` (RFC 6750 b64token), `Token <token>`, `Basic <base64>` credentials on a line. */
const SCHEME_TOKEN = /\b(Bearer|Token|Basic)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi
/** A header written `name: value`, `name=value` or `'name', 'value'` (Envoy's header dump). */
const HEADER_PAIR = /(['"]?)([A-Za-z][A-Za-z0-9_.-]*)\1(\s*[:=,]\s*)(['"]?)([^'"\s]{4,})\4/g
const AUTH_LINE = /authorization|x-auth|api-?key/i

/**
 * Credentials on one text line replaced in place, or undefined when there were none. A scheme token counts when it
 * looks like one (a digit or b64token punctuation, or 16+ characters) or the line is about authorization.
 */
export function redactCredentialsInLine(line: string): {line: string; redacted: number} | undefined {
  let redacted = 0
  const authLine = AUTH_LINE.test(line)
  let out = line.replace(SCHEME_TOKEN, (all, scheme: string, gap: string, token: string) => {
    if (token.startsWith('[redacted')) return all
    const looksLikeToken = /[0-9._~+/=-]/.test(token) || token.length >= 16
    if (!looksLikeToken && !authLine) return all
    if (scheme.toLowerCase() === 'basic' && !Buffer.from(token, 'base64').toString('latin1').includes(':')) return all
    redacted++
    return `${scheme}${gap}${redactionMarker(scheme.toLowerCase() === 'basic' ? 'basic auth credentials' : 'bearer token', Buffer.byteLength(token))}`
  })
  out = out.replace(HEADER_PAIR, (all, q1: string, name: string, sep: string, q2: string, value: string) => {
    if (sep.includes(',') && !q1) return all
    const kind = sensitiveNameKind(name)
    if (!kind || value.startsWith('[redacted') || /^(Bearer|Token|Basic)$/i.test(value)) return all
    redacted++
    return `${q1}${name}${q1}${sep}${q2}${redactionMarker(secretLabel(kind), Buffer.byteLength(value))}${q2}`
  })
  return redacted ? {line: out, redacted} : undefined
}

export interface RedactedText {
  text: string
  redacted: number
}

export function redactAdminAnswer(text: string, showSecrets: boolean): RedactedText {
  if (showSecrets) return {text, redacted: 0}
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const r = redactSecrets(JSON.parse(text))
      return {text: r.redactedCount ? `${JSON.stringify(r.dump, null, 2)}\n` : text, redacted: r.redactedCount}
    } catch {
      // not JSON after all: redact it as text
    }
  }
  let redacted = 0
  const out: string[] = []
  let key: {at: number; bytes: number; label: string} | undefined
  for (const line of text.split('\n')) {
    const begin = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/.exec(line)
    if (begin && !key) {
      redacted++
      key = {at: out.length, bytes: 0, label: begin[1] ? 'PGP private key' : 'PEM private key'}
      out.push('')
    }
    if (key) {
      // The whole block becomes one marker with its size.
      key.bytes += Buffer.byteLength(line) + 1
      out[key.at] = redactionMarker(key.label, key.bytes)
      if (/-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/.test(line)) key = undefined
      continue
    }
    const inPlace = redactCredentialsInLine(line)
    const rest = inPlace?.line ?? line
    redacted += inPlace?.redacted ?? 0
    const r = redactSecrets({line: rest})
    redacted += r.redactedCount
    out.push(r.redactedCount ? String((r.dump as {line: string}).line) : rest)
  }
  return {text: out.join('\n'), redacted}
}
