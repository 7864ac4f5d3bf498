// Pretty JSON in pieces: the same text as JSON.stringify(value, null, indent), produced a few kilobytes at a
// time so a 50 MB dump can be written out without holding a second 50 MB+ string (the pretty text of a dump
// is larger than the compact input). The top levels are walked here; anything deeper is stringified whole.

function indented(value: unknown, indent: number, prefix: string): string {
  const text = JSON.stringify(value, null, indent)
  return prefix === '' || !text.includes('\n') ? text : text.replace(/\n/g, '\n' + prefix)
}

function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol'
}

/**
 * Yields the text of `JSON.stringify(value, null, indent)` in chunks. `depth` is how many container levels are
 * walked before stringifying a subtree whole; the default reaches the elements of each dump section's lists.
 */
export function* prettyJsonChunks(value: unknown, indent = 2, depth = 5, prefix = ''): Generator<string> {
  if (value !== null && typeof value === 'object' && typeof (value as {toJSON?: unknown}).toJSON === 'function') {
    value = (value as {toJSON: () => unknown}).toJSON()
  }
  if (depth <= 0 || value === null || typeof value !== 'object') {
    yield indented(value, indent, prefix)
    return
  }
  const inner = prefix + ' '.repeat(indent)
  // JSON.stringify without indentation puts no newlines or spaces at all.
  const nl = indent > 0 ? '\n' : ''
  const open = (bracket: string): string => bracket + nl
  const close = (bracket: string): string => (indent > 0 ? prefix : '') + bracket
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]'
      return
    }
    yield open('[')
    for (let i = 0; i < value.length; i++) {
      if (indent > 0) yield inner
      const item = value[i]
      if (isSkipped(item)) yield 'null'
      else yield* prettyJsonChunks(item, indent, depth - 1, inner)
      yield i < value.length - 1 ? ',' + nl : nl
    }
    yield close(']')
    return
  }
  const entries = Object.entries(value).filter(([, v]) => !isSkipped(v))
  if (entries.length === 0) {
    yield '{}'
    return
  }
  yield open('{')
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]
    yield indent > 0 ? `${inner}${JSON.stringify(key)}: ` : `${JSON.stringify(key)}:`
    yield* prettyJsonChunks(item, indent, depth - 1, inner)
    yield i < entries.length - 1 ? ',' + nl : nl
  }
  yield close('}')
}
