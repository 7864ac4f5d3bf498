// `route analyze` as a library call.
import {InputError} from '../resources/errors.js'
import {readManifests, withDefaultNamespace} from '../resources/read.js'
import type {Severity} from '../resources/types.js'
import {analyzeObjects, SEVERITY_RANK, type AnalyzeResult} from './analyze.js'

/** istioctl analyze's exit code when findings reach the failure threshold. */
export const FINDINGS_EXIT_CODE = 79

export interface AnalyzeOptionsCli {
  files: string[]
  namespace?: string
  allNamespaces?: boolean
  suppress: string[]
  failureThreshold: Severity
}

export interface AnalyzeRun extends AnalyzeResult {
  scope: string
  failed: boolean
  failureThreshold: Severity
  notes: string[]
}

export async function runAnalyze(o: AnalyzeOptionsCli): Promise<AnalyzeRun> {
  if (o.files.length === 0) throw new InputError('nothing to analyze: give manifests with -f (files, folders, or - for stdin)', '-f')
  if (o.namespace && o.allNamespaces) throw new InputError('-n and -A exclude each other', '-n')
  for (const s of o.suppress) if (!/^[A-Z0-9_*]+(=.+)?$/.test(s)) throw new InputError(`"${s}" is not CODE=RESOURCE (e.g. ROUTE_SHADOWED=meta-thrift/*)`, '--suppress')
  const notes: string[] = []
  let objects = await readManifests(o.files, undefined, n => notes.push(n))
  if (o.namespace) objects = withDefaultNamespace(objects, o.namespace)
  const result = analyzeObjects(objects, {namespaces: o.namespace ? [o.namespace] : undefined, suppress: o.suppress})
  const failed = result.findings.some(f => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[o.failureThreshold])
  const scope = o.namespace ? `namespace: ${o.namespace}` : 'all namespaces'
  return {...result, scope, failed, failureThreshold: o.failureThreshold, notes}
}
