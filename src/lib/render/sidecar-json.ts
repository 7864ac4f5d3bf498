// Streams pretty JSON (the text of JSON.stringify(value, null, 2)) to a stream a few tens of kilobytes at a
// time, honouring backpressure, with optional colour. A 50 MB dump pretty-prints to more than 50 MB of text;
// building it as one string first is what runs Node out of memory.
import {once} from 'node:events'
import type {Writable} from 'node:stream'
import {prettyJsonChunks} from '../dump/index.js'
import {palette} from './style.js'
import {escapeControls} from './terminal-safe.js'

const BATCH = 64 * 1024
// Each chunk of prettyJsonChunks holds whole tokens, so tokens can be coloured chunk by chunk.
const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g

export function jsonColorizer(color: boolean): (text: string) => string {
  if (!color) return (t) => t
  const c = palette(true)
  return (text) =>
    text.replace(TOKEN, (_m, str: string | undefined, colon: string | undefined, literal: string | undefined, num: string | undefined) => {
      if (str !== undefined) return colon !== undefined ? c.blue(str) + colon : c.green(str)
      if (literal !== undefined) return literal === 'null' ? c.gray(literal) : c.magenta(literal)
      return c.yellow(num!)
    })
}

/** Writes the chunks in batches; C1 controls inside strings (JSON.stringify leaves them raw) become \u00XX first. */
export async function writeChunks(out: Writable, chunks: Iterable<string>, colorize: (t: string) => string = (t) => t): Promise<void> {
  const transform = (t: string) => colorize(escapeControls(t))
  let buffer = ''
  for (const chunk of chunks) {
    buffer += chunk
    if (buffer.length >= BATCH) {
      const ok = out.write(transform(buffer))
      buffer = ''
      if (!ok) await once(out, 'drain')
    }
  }
  if (buffer !== '' && !out.write(transform(buffer))) await once(out, 'drain')
}

export async function writePrettyJson(out: Writable, value: unknown, color: boolean): Promise<void> {
  await writeChunks(out, prettyJsonChunks(value, 2), jsonColorizer(color))
  out.write('\n')
}
