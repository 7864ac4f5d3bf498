/** One JSON document, pretty, with BigInts as decimal strings (random values can exceed 2^53). */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`
}
