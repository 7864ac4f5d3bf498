// The sidecar-config pipeline pieces: in-place redaction (must equal the dump library's whole-dump copy),
// JSONPath, admin paths, pod/container choice and streamed JSON/YAML output.
import {Writable} from 'node:stream'
import * as yaml from 'js-yaml'
import {describe, expect, it} from 'vitest'
import {parseConfigDump, redactSecrets} from '../../../src/lib/dump/index.js'
import type {PodSummary} from '../../../src/lib/kube/pods.js'
import {writePrettyJson, jsonColorizer} from '../../../src/lib/render/sidecar-json.js'
import {writeYaml} from '../../../src/lib/render/sidecar-yaml.js'
import {InputError} from '../../../src/lib/resources/errors.js'
import {configDumpPath} from '../../../src/lib/sidecar/admin-path.js'
import {checkContainer} from '../../../src/lib/sidecar/target.js'
import {applyJsonPath, redactDumpInPlace} from '../../../src/lib/sidecar/view.js'
import {LEAKED, loadFixture, withLeakedSecrets} from '../../commands/dump-variants.js'
import {FIXTURES} from './live-cluster.js'

/** A slow stream (backpressure after 1 KB); `done()` ends it and resolves with everything written. */
function sink(): {stream: Writable; done: () => Promise<string>} {
  let text = ''
  const stream = new Writable({highWaterMark: 1024, write(c, _e, cb) { text += c; setImmediate(cb) }})
  return {stream, done: () => new Promise((resolve) => stream.end(() => resolve(text)))}
}

describe('redactDumpInPlace', () => {
  it('gives exactly what redacting the whole dump at once gives', () => {
    const leaky = withLeakedSecrets(loadFixture(FIXTURES, 'thrift-client-config-dump.json'))
    const whole = redactSecrets(leaky)
    const inPlace = structuredClone(leaky)
    const count = redactDumpInPlace(parseConfigDump(inPlace))
    expect(inPlace).toEqual(whole.dump)
    expect(count).toBe(whole.redactedCount)
    expect(count).toBeGreaterThanOrEqual(3)
    expect(JSON.stringify(inPlace)).not.toContain(LEAKED.password)
  })
})

describe('applyJsonPath', () => {
  const doc = {configs: [{'@type': 'a', n: 1}, {'@type': 'b', n: 2}]}
  it('accepts $-rooted, dotted and bare paths and always returns a list', () => {
    expect(applyJsonPath(doc, '$.configs[*].n')).toEqual([1, 2])
    expect(applyJsonPath(doc, '.configs[1]["@type"]')).toEqual(['b'])
    expect(applyJsonPath(doc, "$..['@type']")).toEqual(['a', 'b'])
    expect(applyJsonPath(doc, '$.configs[?(@["@type"] === "b")].n')).toEqual([2])
    expect(applyJsonPath(doc, '$.configs[?(@["@type"].endsWith("a"))]["@type"]')).toEqual(['a'])
    expect(applyJsonPath(doc, 'configs[?(@.n > 1)].n')).toEqual([2])
    expect(applyJsonPath(doc, '$.nothing')).toEqual([])
  })
  it('reports a broken filter as bad input on --jsonpath', () => {
    const err = (() => { try { applyJsonPath(doc, '$.configs[?(@.n >)]') } catch (e) { return e } })()
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toMatch(/^--jsonpath: not a valid JSONPath/)
  })
})

describe('configDumpPath', () => {
  it('asks Envoy for only the section shown, and for endpoints unmasked', () => {
    expect(configDumpPath('all', false)).toBe('config_dump')
    expect(configDumpPath('metaprotocol', false)).toBe('config_dump')
    expect(configDumpPath('routes', false)).toBe('config_dump?mask=dynamic_route_configs,static_route_configs')
    expect(configDumpPath('listeners', false)).toBe('config_dump?mask=dynamic_listeners,static_listeners')
    expect(configDumpPath('clusters', true)).toBe('config_dump?include_eds=true')
  })
})

describe('checkContainer', () => {
  const pod = (name: string, phase = 'Running', containers = ['app', 'istio-proxy']) => ({name, namespace: 'ns', phase, containers} as unknown as PodSummary)
  it('lists the containers that do exist', () => {
    expect(() => checkContainer(pod('p', 'Running', ['app']), 'istio-proxy')).toThrow(/container "istio-proxy" not found in pod ns\/p; its containers: app; the pod has no Istio sidecar/)
    expect(() => checkContainer(pod('p'), 'istio-proxy')).not.toThrow()
  })
})

describe('streamed output', () => {
  const value = {configs: [{'@type': 'x', list: Array.from({length: 3000}, (_, i) => ({i, s: `v${i}`, ok: i % 2 === 0, none: null}))}]}
  it('writes the same text as JSON.stringify(value, null, 2) through a slow stream', async () => {
    const out = sink()
    await writePrettyJson(out.stream, value, false)
    expect(await out.done()).toBe(JSON.stringify(value, null, 2) + '\n')
  })
  it('colours keys, strings, numbers and literals without changing the text', () => {
    const colour = jsonColorizer(true)
    const text = '{\n  "key": "va\\"lue: 1", "n": -1.5e3, "t": true, "z": null\n}'
    const coloured = colour(text)
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(text)
    expect(coloured).toContain('\u001b[34m"key"\u001b[39m:')
    expect(coloured).toContain('\u001b[32m"va\\"lue: 1"\u001b[39m')
    expect(coloured).toContain('\u001b[33m-1.5e3\u001b[39m')
  })
  it('writes YAML element by element that loads back to the same value', async () => {
    const tricky = {configs: [...value.configs, {}, {'@type': 'y', empty: [], nested: {a: [1, {b: 'x: y'}]}, text: 'multi\nline', list: [[1, 2], 'plain']}]}
    for (const v of [tricky, {configs: []}, [1, {a: 2}], {other: true}]) {
      const out = sink()
      await writeYaml(out.stream, v)
      expect(yaml.load(await out.done())).toEqual(v)
    }
  })
})
