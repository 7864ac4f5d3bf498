// Test helpers: the fixture dumps of test/fixtures/config-dumps and dump
// transformations the readers must be indifferent to (camelCase keys, shuffled sections).

import {readFileSync} from 'node:fs'
import path from 'node:path'
import {CONFIG_DUMPS} from '../../support/fixtures.js'

export const FIXTURE_DIR = CONFIG_DUMPS
export const METHOD_V1 = 'thrift-client-config-dump.json'
export const SPLIT = 'thrift-client-config-dump-split.json'


export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURE_DIR, name), 'utf8')
}

export function fixtureJson(name: string): {configs: Array<Record<string, unknown>>} {
  return JSON.parse(fixtureText(name))
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

/** Every key in lowerCamelCase except `@type`, as istioctl `-o json` prints proto fields (config-dump.md §4.4). */
export function camelize(value: object): object {
  return camelizeValue(value) as object
}

function camelizeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelizeValue)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k === '@type' ? k : camel(k)] = camelizeValue(v)
    return out
  }
  return value
}

/** Deterministic permutation (seeded LCG) so a failure is reproducible. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items]
  let state = seed >>> 0
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    const j = state % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

export function sectionIndex(dump: {configs: Array<Record<string, unknown>>}, typeSuffix: string): number {
  return dump.configs.findIndex((c) => String(c['@type']).endsWith(typeSuffix))
}
