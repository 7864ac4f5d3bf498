// A y/N question on the terminal (the question on stderr, so stdout stays the report).
import {createInterface} from 'node:readline/promises'
import {InterruptedError} from '../cli/exit-codes.js'

export async function confirm(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  const rl = createInterface({input, output})
  // On a terminal readline turns Ctrl-C into its own SIGINT event, not the process signal: it interrupts (exit 130).
  const ctl = new AbortController()
  rl.on('SIGINT', () => ctl.abort())
  try {
    const answer = await rl.question(`${question} [y/N] `, {signal: ctl.signal})
    return /^y(es)?$/i.test(answer.trim())
  } catch (e) {
    if ((e as Error).name === 'AbortError') {
      output.write('\n')
      throw new InterruptedError('interrupted at the prompt: nothing was deleted')
    }
    throw e
  } finally {
    rl.close()
  }
}

export function describeNamespaces(namespaces: Array<{name: string; pods?: number}>): string {
  return namespaces.map(n => `${n.name}${n.pods !== undefined ? ` (${n.pods} pod${n.pods === 1 ? '' : 's'})` : ''}`).join(' and ')
}
