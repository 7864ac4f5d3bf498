// Envoy's logger levels through its admin /logging page (envoyproxy/envoy docs/root/operations/admin.rst):
// GET lists "active loggers:" with one "  name: level" line each; POST /logging?level=L sets every logger,
// POST /logging?NAME=L one. As istioctl's `proxy-config log` does, names and levels are checked against the
// page first ("unrecognized logger name"), not sent blind as aerakictl.sh did with `curl -d dummy`.
import {InputError} from '../resources/errors.js'

export const ENVOY_LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'] as const

export function parseLogging(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^\s+([A-Za-z0-9_.:-]+):\s*(\w+)\s*$/.exec(line)
    if (m) out[m[1]] = m[2]
  }
  return out
}

/** The POST paths that set LEVEL (for all loggers, or for each named one), after checking names and level. */
export function loggingPaths(current: Record<string, string>, level: string, loggers: string[] = []): string[] {
  const l = level === 'warn' ? 'warning' : level.toLowerCase()
  if (!(ENVOY_LEVELS as readonly string[]).includes(l)) throw new InputError(`unrecognized level "${level}"; Envoy's levels: ${ENVOY_LEVELS.join(', ')}`, 'LEVEL')
  if (loggers.length === 0) return [`logging?level=${l}`]
  for (const name of loggers) {
    if (!(name in current)) throw new InputError(`unrecognized logger name "${name}"; the proxy has: ${Object.keys(current).join(', ')}`, '--logger')
  }
  return loggers.map((name) => `logging?${encodeURIComponent(name)}=${l}`)
}
