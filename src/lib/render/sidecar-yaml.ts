// YAML of a (possibly 50 MB) dump or JSONPath result, written one configs[] section at a time so no
// single YAML string of the whole dump is built.
import type {Writable} from 'node:stream'
import {dump as toYaml} from 'js-yaml'
import {writeChunks} from './sidecar-json.js'

function* yamlChunks(value: unknown): Generator<string> {
  const configs = (value as {configs?: unknown} | null)?.configs
  if (Array.isArray(configs) && Object.keys(value as object).length === 1) {
    if (configs.length === 0) {
      yield 'configs: []\n'
      return
    }
    yield 'configs:\n'
    for (const section of configs) yield toYaml([section], {noRefs: true, lineWidth: -1})
    return
  }
  yield toYaml(value, {noRefs: true, lineWidth: -1})
}

export async function writeYaml(out: Writable, value: unknown): Promise<void> {
  await writeChunks(out, yamlChunks(value))
}
