// The command_not_found hook (package.json oclif.hooks): "did you mean" with the space separator users type,
// exit 2 (bad input), and under --json the error document on stdout like every other error.
// The suggestion is the closest command by edit distance, as @oclif/plugin-not-found does (fast-levenshtein there).
import type {Hook} from '@oclif/core/hooks'
import {ExitCode} from './exit-codes.js'
import {renderJson} from '../render/json.js'

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = cur
  }
  return prev[b.length]
}

/** The closest command ids (space-separated) to what was typed, if any is close enough to be a typo. */
export function suggest(typed: string, ids: string[]): string | undefined {
  let best: {id: string; d: number} | undefined
  for (const id of ids) {
    const d = editDistance(typed, id)
    if (!best || d < best.d) best = {id, d}
  }
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.id : undefined
}

const hook: Hook<'command_not_found'> = async function (opts) {
  const ids = opts.config.commands.filter(c => !c.hidden).map(c => c.id)
  // `templates list extra`: oclif took the extra argument as a part of the command id; run the command with it,
  // so that its own parser names the unexpected argument.
  const words = opts.id.split(':')
  for (let n = words.length - 1; n > 0; n--) {
    const prefix = words.slice(0, n).join(':')
    if (ids.includes(prefix)) return opts.config.runCommand(prefix, [...words.slice(n), ...(opts.argv ?? [])])
  }
  const typed = words.join(' ')
  const match = suggest(typed, ids.map(id => id.replaceAll(':', ' ')))
  const message = `"${typed}" is not a command of ${opts.config.bin}.${match ? ` Did you mean "${match}"?` : ''} Run "${opts.config.bin} help" for the list.`
  if ((opts.argv ?? []).includes('--json')) process.stdout.write(renderJson({error: {code: 'COMMAND_NOT_FOUND', message, exitCode: ExitCode.BAD_INPUT}}))
  else process.stderr.write(`Error: ${message}\n`)
  this.exit(ExitCode.BAD_INPUT)
}

export default hook
