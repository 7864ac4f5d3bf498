// YAML of a (possibly 50 MB) dump or JSONPath result, written one list element at a time: js-yaml builds each
// document as one string, and a whole ClustersConfigDump of a big mesh costs hundreds of MB that way.
import type {Writable} from 'node:stream'
import {dump} from 'js-yaml'
import {writeChunks} from './sidecar-json.js'

const OPTIONS = {noRefs: true, lineWidth: -1}

function toYaml(value: unknown): string {
  return dump(value, OPTIONS)
}

function indented(text: string, first: string, rest: string): string {
  return text.replace(/\n$/, '').split('\n').map((line, i) => (i === 0 ? first : rest) + line).join('\n') + '\n'
}

/** One configs[] entry as a sequence item, its lists written element by element. */
function* sectionChunks(section: unknown): Generator<string> {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    yield indented(toYaml(section), '- ', '  ')
    return
  }
  const entries = Object.entries(section)
  if (entries.length === 0) {
    yield '- {}\n'
    return
  }
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i]
    const prefix = i === 0 ? '- ' : '  '
    if (Array.isArray(value) && value.length > 0) {
      yield `${prefix}${toYaml(key).trimEnd()}:\n`
      for (const element of value) yield indented(toYaml([element]), '  ', '  ')
    } else {
      yield indented(toYaml({[key]: value}), prefix, '  ')
    }
  }
}

function* yamlChunks(value: unknown): Generator<string> {
  const configs = (value as {configs?: unknown} | null)?.configs
  if (Array.isArray(configs) && Object.keys(value as object).length === 1) {
    if (configs.length === 0) {
      yield 'configs: []\n'
      return
    }
    yield 'configs:\n'
    for (const section of configs) yield* sectionChunks(section)
    return
  }
  if (Array.isArray(value) && value.length > 0) {
    for (const element of value) yield toYaml([element])
    return
  }
  yield toYaml(value)
}

export async function writeYaml(out: Writable, value: unknown): Promise<void> {
  await writeChunks(out, yamlChunks(value))
}
