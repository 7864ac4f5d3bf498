// Shared by install and uninstall: --timeout parsing (Ctrl-C handling is src/lib/cli/interrupt.ts).
import {InputError} from '../resources/errors.js'
import {parseSecondsOrGoDuration} from '../routing/duration.js'

export function parseTimeout(text: string): number {
  const ms = parseSecondsOrGoDuration(text)
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) throw new InputError(`expected a positive duration such as 90s, 5m or 1h, not ${JSON.stringify(text)}`, '--timeout')
  return ms
}
