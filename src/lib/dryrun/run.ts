// `route dry-run` as a library call: flags in, a typed result out (the command only parses and renders).
import {InputError} from '../resources/errors.js'
import {seedFrom} from '../routing/random.js'
import {parseUint64} from '../routing/weighted.js'
import {assembleInputs} from './inputs.js'
import {metaRouterHostFindings} from '../analyze/rules.js'
import {dedupeFindings, sortFindings} from '../validate/findings.js'
import {predict, type Prediction} from './predict.js'
import {demoForHost} from '../demo/world.js'
import {regexProgramLimitOfDump} from '../routing/regex-limit.js'
import type {Loaded} from '../resources/types.js'

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
  /** A saved config dump (or - for stdin): predict from the tables the proxy holds. */
  configDump?: string
  /** A live sidecar: fetch its config dump (app name or pod name) and predict from it. */
  pod?: {app: string; namespace?: string; kubeconfig?: string; context?: string; timeoutMs?: number}
  /** Progress lines (which fetch method worked) for stderr. */
  onNote?: (line: string) => void
  /** Read MetaRouters, DestinationRules, Services and ServiceEntries from this cluster (plus any -f files). */
  fromCluster?: {kubeconfig?: string; context?: string; timeoutMs?: number}
  /** --regex-program-limit: the proxy's re2.max_program_size.error_level (else the dump's, else Istio's 32768). */
  regexProgramLimit?: number
  /** Namespace for -f objects without one (`kubectl apply -n`). */
  namespace?: string
  /** Read sub-folders of -f folders (kubectl's -R). */
  recursive?: boolean
  /** --max-input-mb: the largest manifest file read. */
  maxInputMb?: number
  /** Send the request with no attributes at all (no demo client default). */
  noAttrs?: boolean
  /** Server pods that share the requests (each has its own local rate-limit buckets). */
  serverPods?: number
}

export interface DryRunResult {
  prediction: Prediction
  request: {attributes: Array<[string, string]>; from: 'flags' | 'demo client' | 'template' | 'none'}
  sources: string[]
  template: {name: string; values: Record<string, string>} | null
}

export const MAX_SAMPLES = 1_000_000_000

export async function runDryRun(o: DryRunOptions): Promise<DryRunResult> {
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
  if (o.noAttrs && attributes.length > 0) throw new InputError('--no-attrs sends a request without attributes; it cannot be combined with --attr', '--no-attrs')
  if (o.serverPods !== undefined && (o.serverPods < 1 || o.serverPods > 100_000)) throw new InputError('must be between 1 and 100000', '--server-pods')
  if (o.configDump !== undefined || o.pod) return runOnDump(o, attributes, randomValue)
  let clusterObjects: Loaded[] | undefined
  if (o.fromCluster) clusterObjects = (await (await import('../cluster/objects.js')).readLiveObjects({...o.fromCluster, namespace: o.namespace}, {onNote: o.onNote})).objects
  const assembled = await assembleInputs({files: o.files, host: o.host, port: o.port, attributes, template: o.template, set, clusterObjects, namespace: o.namespace, recursive: o.recursive, maxInputMb: o.maxInputMb, noAttrs: o.noAttrs})
  const prediction = predict(assembled.world, {
    host: assembled.host,
    port: assembled.port,
    attributes: assembled.attributes,
    ...(randomValue !== undefined ? {randomValue} : {}),
    ...(o.sequence !== undefined ? {sequence: o.sequence} : {}),
    ...(o.clientNamespace !== undefined ? {clientNamespace: o.clientNamespace} : {}),
    ...(o.serverPods !== undefined ? {serverPods: o.serverPods} : {}),
    ...(o.samples ? {samples: o.samples, seed: seedFrom(o.seed ?? '0')} : {}),
    ...(o.regexProgramLimit !== undefined ? {regexProgramLimit: o.regexProgramLimit} : {}),
  })
  prediction.findings.push(...assembled.inputFindings)
  // A MetaRouter among the user's inputs that no loaded service uses is worth a word (e.g. files applied with -n).
  if (o.files.length > 0) for (const mr of assembled.world.metaRouters) prediction.findings.push(...metaRouterHostFindings(assembled.world, mr))
  prediction.findings = sortFindings(dedupeFindings(prediction.findings))
  for (const s of assembled.world.skipped) {
    // Notes about inputs that were not used are only worth showing for user files.
    if (o.files.length > 0) prediction.findings.push({code: 'INPUT_SKIPPED', severity: 'info', message: s})
  }
  return {prediction, request: {attributes: assembled.attributes, from: assembled.attributesFrom}, sources: assembled.sources, template: assembled.template}
}

async function runOnDump(o: DryRunOptions, attributes: Array<[string, string]>, randomValue: bigint | undefined): Promise<DryRunResult> {
  const flag = o.pod ? '--pod' : '--config-dump'
  if (o.files.length > 0 || o.template || o.fromCluster || (o.pod && o.configDump !== undefined)) {
    throw new InputError(`${flag} predicts from the tables a proxy holds; it cannot be combined with -f, --template, --from-cluster or the other dump source`, flag)
  }
  const [dump, {predictFromDump}] = await Promise.all([import('../dump/index.js'), import('./predict-dump.js')])
  let parsed
  let origin: string
  if (o.pod) {
    const {fetchConfigDump} = await import('../sidecar/index.js')
    const fetched = await fetchConfigDump({app: o.pod.app, namespace: o.pod.namespace, kubeconfig: o.pod.kubeconfig, context: o.pod.context, timeoutMs: o.pod.timeoutMs, onNote: o.onNote})
    parsed = fetched.dump
    origin = `config dump of ${fetched.namespace}/${fetched.pod} (${fetched.method})`
  } else {
    const {readConfigDumpFile} = await import('../sidecar/file.js')
    parsed = (await readConfigDumpFile(o.configDump!)).dump
    origin = `config dump ${o.configDump === '-' ? '<stdin>' : o.configDump}`
  }
  const tables = dump.extractMetaProtocolRouteTables(parsed)
  const codecs: Record<string, string> = {}
  for (const l of dump.extractMetaProtocolListeners(parsed)) if (l.routeConfigName && l.codec) codecs[l.routeConfigName] = l.codec
  const clusters = dump.hasClustersSection(parsed) ? dump.extractClusters(parsed).map(c => c.name) : null
  const table = (await import('./predict-dump.js')).resolveTable(tables, o.host, o.port)
  const demo = demoForHost(table.host)
  // A dump of the demo client's own sidecar gets the demo client's request unless --attr or --no-attrs say otherwise.
  const request = attributes.length > 0 || o.noAttrs ? attributes : (demo?.request ?? [])
  const regexProgramLimit = o.regexProgramLimit ?? regexProgramLimitOfDump(parsed).limit
  const prediction = predictFromDump({tables, clusters, codecs, origin, regexProgramLimit}, {
    host: table.host,
    port: table.port,
    attributes: request,
    ...(randomValue !== undefined ? {randomValue} : {}),
    ...(o.samples ? {samples: o.samples, seed: seedFrom(o.seed ?? '0')} : {}),
  })
  return {prediction, request: {attributes: request, from: attributes.length > 0 ? 'flags' : demo && !o.noAttrs ? 'demo client' : 'none'}, sources: [origin], template: null}
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
