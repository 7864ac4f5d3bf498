// `route verify`: expected tables (from -f files, else from the cluster) against the tables of the sidecar
// (from --file, else from the live pod).
import {extractMetaProtocolRouteTablesDetailed, parseRouteTableName, type ConfigDump} from '../dump/index.js'
import {KubeClient} from '../kube/client.js'
import {resolveKubeconfig} from '../kube/kubeconfig.js'
import {InputError} from '../resources/errors.js'
import {readManifests, withDefaultNamespace} from '../resources/read.js'
import type {Loaded} from '../resources/types.js'
import {configDumpPath, fetchConfigDump, readConfigDumpFile, type FetchMethod} from '../sidecar/index.js'
import {loadClusterObjects} from '../cluster/objects.js'
import {expectedTables, type KnownTable} from './expected.js'
import {inboundRouteTable} from '../routing/translate.js'
import {verifyRouteTables, type VerifyReport} from './verify.js'

export interface VerifyRunOptions {
  app?: string
  namespace?: string
  /** Saved config dump (`-` for stdin) instead of the live pod. */
  dumpFile?: string
  /** Manifests; without them the objects are read from the cluster. */
  files: string[]
  /** --max-input-mb: the largest manifest file read. */
  maxInputMb?: number
  kubeconfig?: string
  context?: string
  container?: string
  timeoutMs?: number
  onNote?: (line: string) => void
}

export interface VerifyRun {
  report: VerifyReport
  sidecar: {source: 'file'; file: string} | {source: 'pod'; pod: string; namespace: string; method: FetchMethod}
  objects: {source: 'files' | 'cluster'; count: number}
  /** False when the dump has no Aeraki MetaProtocol section at all (not a meta-protocol-proxy sidecar). */
  hasMetaProtocolSection: boolean
  warnings: string[]
}

const ROUTING_KINDS = ['MetaRouter', 'DestinationRule', 'Service', 'ServiceEntry', 'ApplicationProtocol']

async function readObjects(o: VerifyRunOptions, kube: () => KubeClient, note: (l: string) => void): Promise<{objects: Loaded[]; source: 'files' | 'cluster'}> {
  if (o.files.length > 0) {
    const objects = await readManifests(o.files, undefined, note, {maxInputMb: o.maxInputMb})
    return {objects: withDefaultNamespace(objects, o.namespace ?? kubeNamespaceOrDefault(o)), source: 'files'}
  }
  // The kinds Aeraki translates; a forbidden cluster-wide list falls back to the pod's namespace.
  const client = kube()
  const {objects} = await loadClusterObjects(client, undefined, {kinds: ROUTING_KINDS, fallbackNamespace: client.namespace, onNote: note})
  return {objects, source: 'cluster'}
}

/** For files without a namespace: kubectl would use the context's namespace; offline there may be no kubeconfig. */
function kubeNamespaceOrDefault(o: VerifyRunOptions): string {
  try {
    return resolveKubeconfig({kubeconfig: o.kubeconfig, context: o.context}).namespace
  } catch {
    return 'default'
  }
}

export async function runVerify(o: VerifyRunOptions): Promise<VerifyRun> {
  const note = o.onNote ?? (() => {})
  if (!o.app && !o.dumpFile) throw new InputError('give the APP whose sidecar to check (a pod name or part of one), or --file DUMP', 'APP')
  if (o.dumpFile === '-' && o.files.includes('-')) throw new InputError('stdin can feed either --file or -f, not both', '--file')
  let client: KubeClient | undefined
  const kube = () => (client ??= KubeClient.create({kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace, timeoutMs: o.timeoutMs}))
  try {
    const {objects, source} = await readObjects(o, kube, note)
    let dump: ConfigDump
    let sidecar: VerifyRun['sidecar']
    if (o.dumpFile) {
      dump = (await readConfigDumpFile(o.dumpFile)).dump
      sidecar = {source: 'file', file: o.dumpFile === '-' ? '<stdin>' : o.dumpFile}
    } else {
      // Only the route sections: both RoutesConfigDumps carry these fields, so the Aeraki section stays recognisable.
      const path = configDumpPath('routes', false)
      const fetched = await fetchConfigDump({kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace, app: o.app, container: o.container, timeoutMs: o.timeoutMs, path, onNote: note})
      dump = fetched.dump
      sidecar = {source: 'pod', pod: fetched.pod, namespace: fetched.namespace, method: fetched.method}
    }
    const actual = extractMetaProtocolRouteTablesDetailed(dump)
    const known: KnownTable[] = actual.tables.map((t) => ({...parseRouteTableName(t.name), applicationProtocol: t.applicationProtocol}))
    const expected = expectedTables(objects, known)
    // Inline inbound tables (server sidecars) are checked against Aeraki's fixed inbound table for a MetaProtocol
    // port the objects define.
    const ports = new Set(expected.map((e) => e.table.port))
    actual.tables.forEach((t, i) => {
      if (actual.sources[i] === 'inline' && ports.has(t.port)) expected.push({table: inboundRouteTable(t.port, t.applicationProtocol), sources: []})
    })
    if (source === 'files' && expected.length === 0) {
      throw new InputError('the files produce no MetaProtocol route table: they have no Service or ServiceEntry with a tcp-metaprotocol-<protocol>-… port, and no MetaRouter for a host the sidecar has routes for', '-f')
    }
    return {
      report: verifyRouteTables(expected, actual.tables, {complete: source === 'cluster'}),
      sidecar,
      objects: {source, count: objects.length},
      hasMetaProtocolSection: actual.hasMetaProtocolSection,
      warnings: actual.warnings.map((w) => `${w.table}${w.route !== undefined ? `/${w.route}` : ''}: ${w.message}`),
    }
  } finally {
    client?.close()
  }
}
