// Shared by install and uninstall: --timeout parsing and Ctrl-C handling (first Ctrl-C stops cleanly, a second one
// exits at once).
import {InputError} from '../resources/errors.js'
import {parseGoDuration} from '../routing/duration.js'

export function parseTimeout(text: string): number {
  const ms = /^\d+$/.test(text.trim()) ? Number(text) * 1000 : parseGoDuration(text)
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) throw new InputError(`expected a positive duration such as 90s, 5m or 1h, not ${JSON.stringify(text)}`, '--timeout')
  return ms
}

export interface Interrupt {
  signal: AbortSignal
  dispose(): void
}

export function onInterrupt(): Interrupt {
  const ctl = new AbortController()
  const handler = () => {
    if (ctl.signal.aborted) process.exit(130)
    ctl.abort()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    signal: ctl.signal,
    dispose() {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    },
  }
}
