// `route dry-run` as a library call: flags in, a typed result out (the command only parses and renders).
import {InputError} from '../resources/errors.js'
import {seedFrom} from '../routing/random.js'
import {parseUint64} from '../routing/weighted.js'
import {assembleInputs} from './inputs.js'
import {predict, type Prediction} from './predict.js'

export interface DryRunOptions {
  files: string[]
  host?: string
  port?: number
  attr: string[]
  randomValue?: string
  samples?: number
  seed?: string
  sequence?: number
  clientNamespace?: string
  template?: string
  set: string[]
}

export interface DryRunResult {
  prediction: Prediction
  request: {attributes: Array<[string, string]>; from: 'flags' | 'demo client' | 'template' | 'none'}
  sources: string[]
  template: {name: string; values: Record<string, string>} | null
}

export const MAX_SAMPLES = 1_000_000_000

export async function runDryRun(o: DryRunOptions, readStdin?: () => Promise<string>): Promise<DryRunResult> {
  const attributes = o.attr.map(a => parseKeyValue(a, '--attr'))
  const set = Object.fromEntries(o.set.map(s => parseKeyValue(s, '--set')))
  let randomValue: bigint | undefined
  if (o.randomValue !== undefined) {
    randomValue = parseUint64(o.randomValue)
    if (randomValue === undefined) throw new InputError(`"${o.randomValue}" is not an unsigned 64-bit integer (0 to 18446744073709551615)`, '--random-value')
  }
  if (o.samples !== undefined && (o.samples < 0 || o.samples > MAX_SAMPLES)) throw new InputError(`must be between 0 and ${MAX_SAMPLES}`, '--samples')
  if (o.sequence !== undefined && (o.sequence < 0 || o.sequence > 10_000_000)) throw new InputError('must be between 0 and 10000000', '--sequence')
  if (o.port !== undefined && (o.port < 1 || o.port > 65535)) throw new InputError(`port ${o.port} is outside 1..65535`, '--port')
  const assembled = await assembleInputs({files: o.files, host: o.host, port: o.port, attributes, template: o.template, set}, readStdin)
  const prediction = predict(assembled.world, {
    host: assembled.host,
    port: assembled.port,
    attributes: assembled.attributes,
    ...(randomValue !== undefined ? {randomValue} : {}),
    ...(o.sequence !== undefined ? {sequence: o.sequence} : {}),
    ...(o.clientNamespace !== undefined ? {clientNamespace: o.clientNamespace} : {}),
    ...(o.samples ? {samples: o.samples, seed: seedFrom(o.seed ?? '0')} : {}),
  })
  for (const s of assembled.world.skipped) {
    // Notes about inputs that were not used are only worth showing for user files.
    if (o.files.length > 0) prediction.findings.push({code: 'INPUT_SKIPPED', severity: 'info', message: s})
  }
  return {prediction, request: {attributes: assembled.attributes, from: assembled.attributesFrom}, sources: assembled.sources, template: assembled.template}
}

/** `KEY=VALUE`; the value may contain `=` and may be empty; the key may not. */
export function parseKeyValue(text: string, flag: string): [string, string] {
  const i = text.indexOf('=')
  if (i <= 0) throw new InputError(`"${text}" is not KEY=VALUE`, flag)
  return [text.slice(0, i), text.slice(i + 1)]
}

/** The JSON document of `-o json`: the prediction's fields at the top level, plus what it was made from. */
export function dryRunDocument(r: DryRunResult): Record<string, unknown> {
  const {table, walk, ...rest} = r.prediction
  return {
    ...rest,
    request: {attributes: r.request.attributes.map(([key, value]) => ({key, value})), from: r.request.from},
    inputs: r.sources,
    template: r.template,
    walk,
    routeTable: table,
  }
}
