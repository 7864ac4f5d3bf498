// `apply`: render or read, validate everything (schema, webhook, proxy, cross-object against the live cluster),
// show the diff, then server-side apply with field manager aerakictl. Nothing is written unless every object
// passes the checks and a server-side dry run; after applying, the simulator predicts the main request.
import {InputError} from '../resources/errors.js'
import {resourceName} from '../resources/kinds.js'
import {identityOf, mergeObjects} from '../resources/merge.js'
import {readManifests, withDefaultNamespace} from '../resources/read.js'
import type {Finding, KubeObject, Loaded} from '../resources/types.js'
import {analyzeObjects} from '../analyze/analyze.js'
import {loadTemplate} from '../templates/catalog.js'
import {renderTemplate} from '../templates/render.js'
import {asLoaded, buildWorld} from '../routing/world.js'
import {predict} from '../dryrun/predict.js'
import {expandHost} from '../routing/names.js'
import {demoForHost} from '../demo/world.js'
import {KubeError} from '../kube/errors.js'
import {readLive, resourceOf, serverSideApply, writeInOrder, type AppliedObject as Applied, type WriteReport} from '../cluster/apply.js'
import {classifyError, InterruptedError, type ExitCode} from '../cli/exit-codes.js'
import {connect, type ClusterConnection, type ClusterFlags} from '../cluster/connect.js'
import {COMPLETELY_LISTED_KINDS, loadClusterObjects} from '../cluster/objects.js'
import {comparable, diffLines, hasChanges, maskSecretData, projectOnto, toYaml, type DiffLine} from './diff.js'
import {summarizePrediction} from './summary.js'

export interface ApplyOptions {
  template?: string
  files: string[]
  /** --max-input-mb: the largest manifest file read. */
  maxInputMb?: number
  /** -n: the namespace to render the template for, or for objects without one. */
  namespace?: string
  service?: string
  set: Record<string, string>
  dryRun?: 'client' | 'server'
  renderOnly: boolean
  forceConflicts: boolean
  cluster: ClusterFlags
  /** Diagnostics (namespace-scoped reads, kinds not served): one line each. */
  onNote?: (line: string) => void
  /** Called with the plan (actions and diffs) after validation and before the first write. */
  onPlan?: (plan: AppliedObject[]) => void
  /** The proxies' re2.max_program_size.error_level (default: Istio's 32768). */
  regexProgramLimit?: number
  /** Ctrl-C: stops between two writes (the result says what was applied) and gives up requests in flight. */
  signal?: AbortSignal
}

/** One object of the plan: what applying does to it, and the diff against the live object. */
export interface AppliedObject extends Applied {
  diff: DiffLine[]
}

export interface ApplyResult {
  /** The plan; when the writes stopped part way, `incomplete` says which of these were not applied. */
  objects: AppliedObject[]
  findings: Finding[]
  dryRun: 'client' | 'server' | null
  prediction: {request: Array<[string, string]>; host: string; summary: string} | null
  rendered: KubeObject[]
  /** Set when the writes stopped part way (the API failed, or Ctrl-C): what was applied, what was not, and why. */
  incomplete: IncompleteApply | null
}

/** Partial work, reported (issue 12 §4): the command exits with `exitCode` after printing it. */
export interface IncompleteApply {
  /** `Kind ns/name` of the objects written, in order, with what happened to each. */
  applied: Applied[]
  /** The write that failed (or was cut by Ctrl-C), and why. */
  failed: {resource: string; code: string; message: string} | null
  /** Never attempted. */
  notApplied: string[]
  interrupted: boolean
  exitCode: ExitCode
  /** How to finish it, and how to undo what this run created. */
  finish: string
  undo: string | null
}

export class ApplyBlocked extends Error {
  constructor(readonly findings: Finding[]) {
    super(`${findings.filter(f => f.severity === 'error').length} error(s) found; nothing was applied`)
  }
}

export async function renderForApply(o: ApplyOptions): Promise<{objects: Loaded[]; request: Array<[string, string]>; host?: string}> {
  if (o.template && o.files.length > 0) throw new InputError('give a template or -f files, not both', '-f')
  if (!o.template && o.files.length === 0) throw new InputError('give a template name (see `aerakictl templates list`) or -f files')
  if (o.files.length > 0) {
    const objects = await readManifests(o.files, undefined, undefined, {maxInputMb: o.maxInputMb})
    return {objects: o.namespace ? withDefaultNamespace(objects, o.namespace) : objects, request: []}
  }
  const def = await loadTemplate(o.template!)
  const set = {...o.set}
  if (o.namespace) set.namespace = o.namespace
  if (o.service) {
    if (!set.host) set.host = expandHost(o.service, set.namespace ?? def.parameters.find(p => p.name === 'namespace')?.default)
    if (!set.service) set.service = o.service.split('.')[0]
  }
  const r = renderTemplate(def, set)
  return {objects: r.objects.map(obj => asLoaded(obj, `template ${def.name}`)), request: r.request, host: r.values.host}
}

export async function applyManifests(o: ApplyOptions, rendered: {objects: Loaded[]; request: Array<[string, string]>; host?: string}): Promise<ApplyResult> {
  const conn = await connect({...o.cluster, signal: o.signal})
  try {
    return await applyWith(conn, o, rendered)
  } catch (e) {
    // Writes never throw it (writeInOrder reports them), so Ctrl-C that ends up here came before the first write.
    if (e instanceof InterruptedError && !e.message.includes('nothing was applied')) throw new InterruptedError(`${e.message}: nothing was applied`)
    throw e
  } finally {
    conn.close()
  }
}

async function applyWith(conn: ClusterConnection, o: ApplyOptions, rendered: {objects: Loaded[]; request: Array<[string, string]>; host?: string}): Promise<ApplyResult> {
  const desired = o.namespace ? rendered.objects : withDefaultNamespace(rendered.objects, conn.namespace)
  // A user allowed only some namespaces reads those (issue 12 §6), and is told what could not be read.
  const live = await loadClusterObjects(conn.kube, undefined, {fallbackNamespace: conn.namespace, onNote: o.onNote})
  if (live.missingKinds.some(k => k.startsWith('MetaRouter')) && desired.some(d => d.obj.kind === 'MetaRouter')) {
    throw new KubeError('not-found', `the cluster of context "${conn.kube.contextName}" has no MetaRouter CRD: install Istio and Aeraki first (see https://aeraki.net/docs/v1.x/install/), then run this again`)
  }
  // Cross-object analysis over the cluster as it would be after the apply; only findings about what we apply count.
  const ids = new Set(desired.map(identityOf))
  const names = new Set(desired.map(d => resourceName(d.obj)))
  const others = live.objects.filter(l => !ids.has(identityOf(l)))
  const listed = new Map(live.objects.map(l => [identityOf(l), l.obj]))
  const analysis = analyzeObjects([...others, ...desired], {regexProgramLimit: o.regexProgramLimit})
  const findings = analysis.findings.filter(f => f.resource !== undefined && names.has(f.resource))
  if (findings.some(f => f.severity === 'error')) throw new ApplyBlocked(findings)

  // The diff against what is live (GET each object; a 404 means it will be created).
  const plans: Array<{loaded: Loaded; live: KubeObject | undefined; diff: DiffLine[]}> = []
  for (const d of desired) {
    // Kinds just listed in full need no second read; others (e.g. a Deployment in -f files) are fetched.
    const kind = d.obj.kind ?? ''
    const listedAll = COMPLETELY_LISTED_KINDS.has(kind) && (!live.namespaceOnly.has(kind) || live.namespaceOnly.get(kind) === d.obj.metadata?.namespace)
    const current = listedAll ? listed.get(identityOf(d)) : await readLive(conn, d.obj)
    // A Secret's values are compared but never printed (masked as kubectl diff does).
    const [before, after] = maskSecretData(comparable(projectOnto(comparable(current), d.obj) as KubeObject | undefined), comparable(d.obj))
    plans.push({loaded: d, live: current, diff: diffLines(toYaml(before), toYaml(after))})
  }

  const objects: AppliedObject[] = plans.map(p => ({resource: resourceName(p.loaded.obj), action: !p.live ? 'create' : hasChanges(p.diff) ? 'configure' : 'unchanged', diff: p.diff}))
  o.onPlan?.(objects)
  let incomplete: IncompleteApply | null = null
  if (o.dryRun !== 'client') {
    // A server-side dry run of every object first: the API server's own validation, admission webhooks and RBAC
    // all answer before anything is written.
    for (const [i, p] of plans.entries()) {
      try {
        await serverSideApply(conn, p.loaded.obj, {dryRun: true, force: o.forceConflicts, strict: true})
      } catch (e) {
        const nothing = o.dryRun === 'server' ? '' : '; nothing was applied'
        if (e instanceof InterruptedError) throw new InterruptedError(`interrupted during the server-side dry run${nothing}`)
        if (e instanceof KubeError) throw new KubeError(e.kind, `the server-side dry run of ${objects[i].resource} failed: ${e.message}${nothing}`, e.status, e.reason)
        throw e
      }
    }
    if (o.dryRun !== 'server') {
      if (o.signal?.aborted) throw new InterruptedError('interrupted before the first write: nothing was applied')
      const byPlan = new Map(plans.map((p, i) => [p, objects[i]]))
      const report = await writeInOrder(plans, async p => {
        await serverSideApply(conn, p.loaded.obj, {dryRun: false, force: o.forceConflicts, strict: true})
        return byPlan.get(p)!.action
      }, {signal: o.signal})
      if (report.failed || report.interrupted) incomplete = await describeIncomplete(conn, report, byPlan)
    }
  }

  let prediction: ApplyResult['prediction'] = null
  const mr = desired.find(d => d.obj.kind === 'MetaRouter' || d.obj.kind === 'DestinationRule')
  const host = rendered.host ?? (mr?.obj.kind === 'MetaRouter' ? mr.obj.spec?.hosts?.[0] : mr?.obj.spec?.host)
  if (host && !incomplete) {
    const request = rendered.request.length > 0 ? rendered.request : (demoForHost(host)?.request ?? [])
    try {
      const world = buildWorld(mergeObjects(others, desired))
      const p = predict(world, {host, attributes: request, regexProgramLimit: o.regexProgramLimit})
      prediction = {request, host, summary: summarizePrediction(p, request)}
    } catch (e) {
      if (!(e instanceof InputError)) throw e
      prediction = {request, host, summary: `no prediction: ${e.message}`}
    }
  }
  return {objects, findings, dryRun: o.dryRun ?? null, prediction, rendered: desired.map(d => d.obj), incomplete}
}

type Plan = {loaded: Loaded; live: KubeObject | undefined; diff: DiffLine[]}

/** The report of writes that stopped part way: applied, failed (why), not applied, how to finish or undo. */
async function describeIncomplete(conn: ClusterConnection, report: WriteReport<Plan>, byPlan: Map<Plan, AppliedObject>): Promise<IncompleteApply> {
  const failed = report.failed
  const info = failed ? classifyError(failed.error) : undefined
  const created = report.applied.filter(a => a.action === 'create').map(a => a.item.loaded.obj)
  // kubectl's TYPE/NAME with the fully qualified resource, one command per namespace.
  const byNamespace = new Map<string, string[]>()
  for (const obj of created) {
    const ns = obj.metadata?.namespace ?? ''
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), `${await resourceOf(conn, obj)}/${obj.metadata?.name}`])
  }
  const undo = byNamespace.size === 0 ? null
    : `delete the ${created.length} object(s) this run created: ${[...byNamespace].map(([ns, refs]) => `kubectl delete${ns ? ` -n ${ns}` : ''} ${refs.join(' ')}`).join('; ')}`
  return {
    applied: report.applied.map(a => ({resource: byPlan.get(a.item)!.resource, action: a.action})),
    failed: failed && info ? {resource: byPlan.get(failed.item)!.resource, code: info.code, message: failed.error.message} : null,
    notApplied: report.notApplied.map(p => byPlan.get(p)!.resource),
    interrupted: report.interrupted,
    exitCode: report.interrupted ? 130 : info!.exitCode,
    finish: 'fix the cause and run the same command again to finish (server-side apply changes only what differs)',
    undo,
  }
}
