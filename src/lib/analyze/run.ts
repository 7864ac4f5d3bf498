// `route analyze` as a library call.
import {InputError} from '../resources/errors.js'
import {readManifests, withDefaultNamespace} from '../resources/read.js'
import type {Loaded, Severity} from '../resources/types.js'
import {identityOf} from '../resources/merge.js'
import {analyzeObjects, SEVERITY_RANK, type AnalyzeResult} from './analyze.js'

export interface AnalyzeOptionsCli {
  files: string[]
  namespace?: string
  allNamespaces?: boolean
  suppress: string[]
  failureThreshold: Severity
  fromCluster?: {kubeconfig?: string; context?: string; timeoutMs?: number}
  regexProgramLimit?: number
  /** Read the sub-folders of -f folders (kubectl's -R). */
  recursive?: boolean
  /** --max-input-mb: the largest manifest file read. */
  maxInputMb?: number
}

export interface AnalyzeRun extends AnalyzeResult {
  scope: string
  failed: boolean
  failureThreshold: Severity
  notes: string[]
}

export async function runAnalyze(o: AnalyzeOptionsCli): Promise<AnalyzeRun> {
  if (o.files.length === 0 && !o.fromCluster) throw new InputError('nothing to analyze: give manifests with -f (files, folders, or - for stdin), or --from-cluster', '-f')
  if (o.namespace && o.allNamespaces) throw new InputError('-n and -A exclude each other', '-n')
  for (const s of o.suppress) if (!/^[A-Z0-9_*]+(=.+)?$/.test(s)) throw new InputError(`"${s}" is not CODE=RESOURCE (e.g. ROUTE_SHADOWED=meta-thrift/*)`, '--suppress')
  const notes: string[] = []
  let objects = o.files.length > 0 ? await readManifests(o.files, undefined, n => notes.push(n), {recursive: o.recursive, maxInputMb: o.maxInputMb}) : []
  let namespace = o.namespace
  let live: Loaded[] = []
  if (o.fromCluster) {
    const loaded = await (await import('../cluster/objects.js')).readLiveObjects({...o.fromCluster, namespace: o.namespace}, {pods: true})
    live = loaded.objects
    for (const k of loaded.missingKinds) notes.push(`the cluster does not serve ${k}: is Aeraki (or Istio) installed?`)
    // Like istioctl analyze: the context's namespace unless -n or -A says otherwise.
    if (!namespace && !o.allNamespaces) namespace = loaded.namespace
  }
  if (namespace) objects = withDefaultNamespace(objects, namespace)
  // Files are analysed as if applied on top of what is live.
  const ids = new Set(objects.map(identityOf))
  const all = [...live.filter(l => !ids.has(identityOf(l))), ...objects]
  // The -f objects are always analysed, whatever the namespace scope of the cluster's objects.
  const result = analyzeObjects(all, {namespaces: namespace ? [namespace] : undefined, suppress: o.suppress, regexProgramLimit: o.regexProgramLimit, always: ids})
  const failed = result.findings.some(f => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[o.failureThreshold])
  const scope = namespace ? `namespace: ${namespace}` : 'all namespaces'
  return {...result, scope, failed, failureThreshold: o.failureThreshold, notes}
}
