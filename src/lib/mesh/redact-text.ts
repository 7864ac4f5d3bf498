// Every admin/debug answer aerakictl prints goes through the one redactor (src/lib/dump/redact.ts): JSON answers
// as documents, text answers line by line (a PEM private key block as a whole), so a stats or logging page with a
// token in it is masked the same way a config dump is.
import {redactionMarker, redactSecrets} from '../dump/redact.js'

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
    const r = redactSecrets({line})
    redacted += r.redactedCount
    out.push(r.redactedCount ? String((r.dump as {line: string}).line) : line)
  }
  return {text: out.join('\n'), redacted}
}
