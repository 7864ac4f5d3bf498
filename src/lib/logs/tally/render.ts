// The tally at the end: one line per configuration segment on stderr, and for -o json one {"tally": …} object.
import type {Tally} from './tally.js'

export function tallyText(t: Tally): string {
  const req = t.request ? ` for ${t.request.attributes.map(([k, v]) => `${k}=${v}`).join(',')} to ${t.request.host}` : ''
  const lines = t.previous.map((p) => `tally${req} from ${p.since}: ${p.text}\n`)
  const now = t.report()
  lines.push(`tally${req}${t.previous.length ? ` from ${now.since}` : ''}: ${now.text}\n`)
  return lines.join('')
}

export function tallyJson(t: Tally): string {
  return `${JSON.stringify({tally: {...t.report(), previous: t.previous}})}\n`
}
