// The one -o flag: the same three formats everywhere a command prints data (table for people, json and yaml for
// tools), plus the command's own where they make sense (raw for logs), and table as the default.
import * as Flags from '@oclif/core/flags'

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const

const SUMMARY = 'Output format: table (for people), json or yaml (one document; --json prints the same, errors included)'

export function outputFlag(opts: {summary?: string; extra?: string[]; default?: string} = {}) {
  return Flags.string({char: 'o', summary: opts.summary ?? SUMMARY, options: [...OUTPUT_FORMATS, ...(opts.extra ?? [])], default: opts.default ?? 'table'})
}

/** The same flag without a default: the command decides (e.g. from whether stdout is a terminal). */
export function outputFlagChosenByCommand(opts: {summary?: string; extra?: string[]} = {}) {
  return Flags.string({char: 'o', summary: opts.summary ?? SUMMARY, options: [...OUTPUT_FORMATS, ...(opts.extra ?? [])]})
}
