// A y/N question on the terminal (the question on stderr, so stdout stays the report).
import {createInterface} from 'node:readline/promises'

export async function confirm(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  const rl = createInterface({input, output})
  try {
    const answer = await rl.question(`${question} [y/N] `)
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}

export function describeNamespaces(namespaces: Array<{name: string; pods?: number}>): string {
  return namespaces.map(n => `${n.name}${n.pods !== undefined ? ` (${n.pods} pod${n.pods === 1 ? '' : 's'})` : ''}`).join(' and ')
}
