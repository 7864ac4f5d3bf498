// Lets every reader take raw text, bytes, a parsed object or an already checked ConfigDump.

import {parseConfigDump, type ConfigDump} from './parse.js'

/** Dump text, its bytes, or parsed JSON (checked on use). */
export type DumpInput = ConfigDump | string | Uint8Array | object

const checked = new WeakSet<object>()

export function asConfigDump(input: DumpInput | unknown): ConfigDump {
  if (typeof input === 'object' && input !== null && checked.has(input)) return input as ConfigDump
  const dump = parseConfigDump(input)
  checked.add(dump)
  return dump
}
