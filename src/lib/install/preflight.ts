// Everything install checks before its first write: the API answers, Istio's and Aeraki's CRDs are served, the
// caller may do every get/create/patch (SelfSubjectAccessReview), and the API server accepts every object in a
// server-side dry run. A failure throws a KubeError that ends in "Nothing was applied".
import {KubeError} from '../kube/errors.js'
import type {KubeObject} from '../resources/types.js'
import {groupOf, knownPlural, type ApplyAction} from '../cluster/apply.js'
import type {AccessQuestion, ClusterOps} from './cluster-ops.js'
import type {PlannedObject} from './plan.js'
import {InterruptedError} from '../cli/exit-codes.js'
import {plural} from '../render/plural.js'

export type Action = ApplyAction

export interface Preflight {
  serverVersion: string
  live: Map<PlannedObject, KubeObject | undefined>
  /** The server's answer to the dry run, for every object it could be asked about. */
  dryRun: Map<PlannedObject, KubeObject>
  /** Objects in namespaces this install creates: the API server can only dry-run them once the namespace exists. */
  deferred: PlannedObject[]
  reviews: number
}

export const NOTHING_APPLIED = 'Nothing was applied.'

const META_ROUTER = {kind: 'MetaRouter', group: 'metaprotocol.aeraki.io', version: 'v1alpha1', plural: 'metarouters'}

export async function preflight(ops: ClusterOps, planned: PlannedObject[], o: {wait: boolean; step: (detail: string) => void; signal?: AbortSignal}): Promise<Preflight> {
  o.step(`connecting to ${ops.where.server}`)
  const serverVersion = await ops.serverVersion()
  checkAborted(o.signal)

  o.step('checking the Istio and Aeraki CRDs')
  await requireCrds(ops, planned)
  checkAborted(o.signal)

  const questions = accessQuestions(planned, o.wait)
  o.step(`checking ${questions.length} permissions (SelfSubjectAccessReview)`)
  const answers = await mapLimit(questions, 8, q => ops.canI(q.q))
  const denied = questions.filter((_, i) => !answers[i])
  const deniedGet = new Set(denied.filter(d => d.q.verb === 'get').map(d => d.p))
  checkAborted(o.signal)

  // Reads tell create from patch; objects we may not read are assumed new (they then need create as well).
  const live = new Map<PlannedObject, KubeObject | undefined>()
  await mapLimit(planned, 8, async p => live.set(p, deniedGet.has(p) ? undefined : await ops.read(p.obj)))
  const blocking = denied.filter(d => d.q.verb !== 'create' || d.p === undefined || !live.get(d.p))
  if (blocking.length > 0) throw new KubeError('forbidden', forbiddenMessage(ops, blocking.map(b => b.q)))
  checkAborted(o.signal)

  const terminating = planned.filter(p => p.obj.kind === 'Namespace' && isTerminating(live.get(p)))
  if (terminating.length > 0) {
    const names = terminating.map(p => p.obj.metadata!.name!).join(', ')
    throw new KubeError('conflict', `namespace ${names} is being deleted (Terminating): wait until it is gone (aerakictl uninstall demo waits for that), then run this again. ${NOTHING_APPLIED}`)
  }

  const newNamespaces = new Set(planned.filter(p => p.obj.kind === 'Namespace' && !live.get(p)).map(p => p.obj.metadata!.name!))
  const deferred = planned.filter(p => p.obj.metadata?.namespace !== undefined && newNamespaces.has(p.obj.metadata.namespace))
  const now = planned.filter(p => !deferred.includes(p))
  o.step(`server-side dry run of ${plural(now.length, 'object')}`)
  const dryRun = new Map<PlannedObject, KubeObject>()
  for (const p of now) {
    dryRun.set(p, await dryRunOne(ops, p))
    checkAborted(o.signal)
  }
  return {serverVersion, live, dryRun, deferred, reviews: questions.length}
}

export async function dryRunOne(ops: ClusterOps, p: PlannedObject): Promise<KubeObject> {
  try {
    return await ops.apply(p.obj, true)
  } catch (e) {
    if (!(e instanceof KubeError)) throw e
    // Server-side apply without force: fields another manager set to other values are conflicts.
    const hint = e.kind === 'conflict' ? '; another field manager owns these fields with other values: take them over with --force-conflicts, or remove the demo (aerakictl uninstall demo) and install it again' : ''
    throw new KubeError(e.kind, `the server-side dry run of ${p.ref} failed: ${e.message}${hint}`, e.status, e.reason)
  }
}

function isTerminating(ns: KubeObject | undefined): boolean {
  return ns !== undefined && ((ns.status as any)?.phase === 'Terminating' || ns.metadata?.deletionTimestamp !== undefined)
}

async function requireCrds(ops: ClusterOps, planned: PlannedObject[]): Promise<void> {
  const needed = [META_ROUTER]
  for (const p of planned) {
    const group = groupOf(p.obj.apiVersion)
    if (!group.includes('.')) continue // core and apps are built in
    const version = p.obj.apiVersion!.split('/')[1]
    if (!needed.some(n => n.kind === p.obj.kind)) needed.push({kind: p.obj.kind!, group, version, plural: pluralOfDemo(p.obj)})
  }
  const served = await Promise.all(needed.map(n => ops.serves(n.group, n.version, n.plural)))
  const missing = needed.filter((_, i) => !served[i])
  if (missing.length === 0) return
  const what = missing.map(m => `${m.kind} (${m.plural}.${m.group}/${m.version})`).join(', ')
  throw new KubeError('not-found', [
    `the cluster of context "${ops.where.context}" at ${ops.where.server} does not serve ${what}.`,
    'The demo needs Istio and Aeraki installed first; aerakictl does not install them:',
    '  1. Istio: istioctl install -y (https://istio.io/latest/docs/setup/install/istioctl/)',
    '  2. Aeraki and its CRDs: https://aeraki.net/docs/v1.x/install/',
    'or try it all locally: aerakictl playground (starts with Istio and Aeraki).',
    NOTHING_APPLIED,
  ].join('\n'))
}

interface Question {
  q: AccessQuestion
  /** The object the answer is for; undefined for the namespace-wide reads the wait needs. */
  p?: PlannedObject
}

/** get + patch for every object (server-side apply is a patch), create for those that may be new. */
export function accessQuestions(planned: PlannedObject[], wait: boolean): Question[] {
  const out: Question[] = []
  for (const p of planned) {
    const base = {group: groupOf(p.obj.apiVersion), resource: pluralOfDemo(p.obj), name: p.obj.metadata?.name, ...(p.obj.metadata?.namespace ? {namespace: p.obj.metadata.namespace} : {})}
    for (const verb of ['get', 'patch', 'create']) out.push({q: {verb, ...base, ...(verb === 'create' ? {name: undefined} : {})}, p})
  }
  if (wait) {
    for (const ns of new Set(planned.map(p => p.demo.namespace))) {
      out.push({q: {verb: 'watch', group: 'apps', resource: 'deployments', namespace: ns}})
      out.push({q: {verb: 'list', group: 'apps', resource: 'deployments', namespace: ns}})
      out.push({q: {verb: 'list', group: '', resource: 'pods', namespace: ns}})
      out.push({q: {verb: 'list', group: '', resource: 'events', namespace: ns}})
    }
  }
  return out
}

function forbiddenMessage(ops: ClusterOps, denied: AccessQuestion[]): string {
  // One line per verb, resource and namespace, naming the objects.
  const groups = new Map<string, string[]>()
  for (const q of denied) {
    const resource = q.group && q.group !== 'apps' ? `${q.resource}.${q.group}` : q.resource
    const key = `${q.verb} ${resource} ${q.namespace ? `in ${q.namespace}` : 'at cluster scope'}`
    const names = groups.get(key) ?? []
    if (q.name && !names.includes(q.name)) names.push(q.name)
    groups.set(key, names)
  }
  const lines = [...groups].map(([k, names]) => `  cannot ${k}${names.length ? ` (${names.map(n => `"${n}"`).join(', ')})` : ''}`)
  return [
    `forbidden: the user of context "${ops.where.context}" at ${ops.where.server} lacks permissions the install needs (SelfSubjectAccessReview):`,
    ...lines,
    `${NOTHING_APPLIED} Ask for these RBAC permissions or use another context (--context).`,
  ].join('\n')
}

export class Interrupted extends InterruptedError {}

export function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Interrupted()
}

export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return out
}

/** What applying would do, from the live object and the server's dry-run answer (status and bookkeeping ignored). */
/** The demo writes only kinds of the table in cluster/apply.ts; a kind missing there is a bug in the demo, not input. */
function pluralOfDemo(obj: KubeObject): string {
  const plural = knownPlural(obj.apiVersion, obj.kind)
  if (!plural) throw new Error(`no resource plural known for ${obj.apiVersion} ${obj.kind}: add it to cluster/apply.ts`)
  return plural
}

export function actionFor(live: KubeObject | undefined, after: KubeObject | undefined): Action {
  if (!live) return 'create'
  if (!after) return 'configure'
  return canonical(live) === canonical(after) ? 'unchanged' : 'configure'
}

function canonical(o: KubeObject): string {
  const {status: _status, ...rest} = o
  const {resourceVersion: _rv, managedFields: _mf, generation: _g, ...md} = (o.metadata ?? {}) as Record<string, unknown>
  return stable({...rest, metadata: md})
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${stable((v as any)[k])}`).join(',')}}`
  return JSON.stringify(v) ?? 'null'
}
