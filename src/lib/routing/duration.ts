// Go's time.ParseDuration syntax (jsonpb decodes Durations with it): "60s", "100ms", "1m30s", "1.5h".
const UNIT_MS: Record<string, number> = {ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000}

export function parseGoDuration(text: string): number | undefined {
  const s = text.trim()
  if (s === '0') return 0
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy
  let total = 0
  let consumed = 0
  let sign = 1
  let body = s
  if (body.startsWith('-') || body.startsWith('+')) {
    sign = body.startsWith('-') ? -1 : 1
    body = body.slice(1)
  }
  re.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(body)) !== null) {
    total += Number(m[1]) * UNIT_MS[m[2]]
    consumed = re.lastIndex
  }
  if (consumed === 0 || consumed !== body.length) return undefined
  return sign * total
}

/** Milliseconds from a kubectl-style timeout value: a bare whole number is seconds, anything else a Go duration. */
export function parseSecondsOrGoDuration(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text) * 1000 : parseGoDuration(text)
}
