// The one server-side-apply path of `install` and `apply`: field manager aerakictl, the API resource of an object
// named from a table of the kinds aerakictl writes (else from discovery, never by appending "s"), reads that treat
// 404 as absent, and the conflict hint for --force-conflicts.
import type {KubernetesObjectApi} from '@kubernetes/client-node'
import {KubeError, type RequestTarget} from '../kube/errors.js'
import {InterruptedError} from '../cli/exit-codes.js'
import type {KubeObject} from '../resources/types.js'
import {call, type ClusterConnection} from './connect.js'

export const FIELD_MANAGER = 'aerakictl'

/** What applying did (or would do) to one object. */
export type ApplyAction = 'create' | 'configure' | 'unchanged'

export const PAST: Record<ApplyAction, string> = {create: 'created', configure: 'configured', unchanged: 'unchanged'}

/** One object applied: its `Kind ns/name`, and what happened to it. */
export interface AppliedObject {
  resource: string
  action: ApplyAction
}

/** Plurals of the kinds aerakictl writes, by group (Kubernetes' and Istio's/Aeraki's own API definitions). */
const PLURALS: Record<string, Record<string, string>> = {
  '': {Namespace: 'namespaces', Service: 'services', ConfigMap: 'configmaps', Secret: 'secrets', ServiceAccount: 'serviceaccounts', Pod: 'pods', Endpoints: 'endpoints'},
  apps: {Deployment: 'deployments', ReplicaSet: 'replicasets', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets'},
  batch: {Job: 'jobs'},
  'rbac.authorization.k8s.io': {Role: 'roles', RoleBinding: 'rolebindings', ClusterRole: 'clusterroles', ClusterRoleBinding: 'clusterrolebindings'},
  'apiextensions.k8s.io': {CustomResourceDefinition: 'customresourcedefinitions'},
  'networking.istio.io': {ServiceEntry: 'serviceentries', DestinationRule: 'destinationrules', VirtualService: 'virtualservices', Gateway: 'gateways', EnvoyFilter: 'envoyfilters', Sidecar: 'sidecars', WorkloadEntry: 'workloadentries'},
  'metaprotocol.aeraki.io': {MetaRouter: 'metarouters', ApplicationProtocol: 'applicationprotocols'},
  'redis.aeraki.io': {RedisService: 'redisservices', RedisDestination: 'redisdestinations'},
  'dubbo.aeraki.io': {DubboAuthorizationPolicy: 'dubboauthorizationpolicies'},
}

export function groupOf(apiVersion: string | undefined): string {
  const av = apiVersion ?? ''
  return av.includes('/') ? av.slice(0, av.indexOf('/')) : ''
}

/** The plural of a kind this table knows, or undefined (then ask discovery: pluralFromDiscovery). */
export function knownPlural(apiVersion: string | undefined, kind: string | undefined): string | undefined {
  return kind ? PLURALS[groupOf(apiVersion)]?.[kind] : undefined
}

/** `plural` or `plural.group`, as kubectl and RBAC name a resource. */
export function qualified(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural
}

const discovered = new WeakMap<ClusterConnection, Map<string, Promise<Map<string, string>>>>()

/** kind → plural of one group/version, read once per connection from discovery. */
async function discoveryOf(conn: ClusterConnection, apiVersion: string): Promise<Map<string, string>> {
  let byConn = discovered.get(conn)
  if (!byConn) discovered.set(conn, (byConn = new Map()))
  let p = byConn.get(apiVersion)
  if (!p) {
    p = (async () => {
      const k8s = await import('@kubernetes/client-node')
      const group = groupOf(apiVersion), version = apiVersion.slice(apiVersion.indexOf('/') + 1)
      const list = group
        ? await call(conn, {verb: 'get', resource: `apis/${apiVersion}`}, () => conn.kc.makeApiClient(k8s.CustomObjectsApi).getAPIResources({group, version}))
        : await call(conn, {verb: 'get', resource: 'api/v1'}, () => conn.kc.makeApiClient(k8s.CoreV1Api).getAPIResources())
      return new Map(list.resources.filter((r) => !r.name.includes('/')).map((r) => [r.kind, r.name]))
    })()
    byConn.set(apiVersion, p)
  }
  return p
}

/** The resource (`serviceentries.networking.istio.io`) of an object: the table, else discovery, else the lower-case kind. */
export async function resourceOf(conn: ClusterConnection, obj: KubeObject): Promise<string> {
  const group = groupOf(obj.apiVersion)
  let plural = knownPlural(obj.apiVersion, obj.kind)
  if (!plural && obj.apiVersion && obj.kind) {
    plural = await discoveryOf(conn, obj.apiVersion).then((m) => m.get(obj.kind!), () => undefined)
  }
  // Not served and not known: the kind as written (the API server's own 404 will say so), never a guessed plural.
  return qualified(group, plural ?? (obj.kind ?? 'object').toLowerCase())
}

export async function targetOf(conn: ClusterConnection, verb: string, obj: KubeObject): Promise<RequestTarget> {
  return {verb, resource: await resourceOf(conn, obj), namespace: obj.metadata?.namespace, name: obj.metadata?.name}
}

/** The live object, or undefined on 404. */
export async function readLive(conn: ClusterConnection, obj: KubeObject): Promise<KubeObject | undefined> {
  const target = await targetOf(conn, 'get', obj)
  try {
    const objects = await conn.objects()
    return (await call(conn, target, () => objects.read(obj as any))) as KubeObject
  } catch (e) {
    if (e instanceof KubeError && e.kind === 'not-found') return undefined
    throw e
  }
}

/**
 * Server-side apply as field manager aerakictl; `dryRun` asks the server to validate and admit without persisting;
 * `strict` sends fieldValidation=Strict as kubectl's default --validate=strict does.
 */
export async function serverSideApply(conn: ClusterConnection, obj: KubeObject, o: {dryRun: boolean; force: boolean; strict?: boolean}): Promise<KubeObject> {
  const {PatchStrategy} = await import('@kubernetes/client-node')
  const target = await targetOf(conn, 'patch', obj)
  const objects = await conn.objects()
  try {
    return (await call(conn, target, () => objects.patch(obj as any, undefined, o.dryRun ? 'All' : undefined, FIELD_MANAGER, o.force, PatchStrategy.ServerSideApply,
      o.strict ? strictFieldValidation(objects) : undefined))) as KubeObject
  } catch (e) {
    if (e instanceof KubeError && e.kind === 'conflict' && !o.force) {
      throw new KubeError('conflict', `${e.message}; another field manager owns these fields: re-run with --force-conflicts to take them over`, e.status, e.reason)
    }
    throw e
  }
}

/**
 * The request configuration of `objects` with `fieldValidation=Strict` on every request, as kubectl's default
 * --validate=strict sends it: the API server then refuses unknown or duplicate fields instead of pruning them
 * silently (KubernetesObjectApi.patch has no parameter for it, so the request context gets the query parameter).
 */
export function strictFieldValidation(objects: KubernetesObjectApi): any {
  const base = (objects as unknown as {configuration: any}).configuration
  return {
    ...base,
    baseServer: {
      makeRequestContext(path: string, method: any) {
        const ctx = base.baseServer.makeRequestContext(path, method)
        ctx.setQueryParam('fieldValidation', 'Strict')
        return ctx
      },
    },
  }
}

/** One write of a sequence that did not happen: the one that failed (with why), or one never attempted. */
export interface WriteFailure<T> {
  item: T
  /** The API server's refusal or the connection's failure; an InterruptedError when Ctrl-C cut the write. */
  error: KubeError | InterruptedError
}

/**
 * What writing a sequence of objects in order did (issue 12 §4: partial work is reported, never hidden): every
 * object written with its action, the one whose write failed and why, and those never attempted because of it
 * or because Ctrl-C (`signal`) stopped the run between two writes.
 */
export interface WriteReport<T> {
  applied: Array<{item: T; action: ApplyAction}>
  failed?: WriteFailure<T>
  notApplied: T[]
  interrupted: boolean
}

/**
 * Writes `items` one by one with `write` (a server-side apply, or a fake in tests), stopping at the first
 * KubeError (any other error is a bug and is thrown) or when `signal` is aborted, and says what was and was not
 * done. The one loop both `apply` and `install demo` write with.
 */
export async function writeInOrder<T>(items: readonly T[], write: (item: T) => Promise<ApplyAction>, o: {signal?: AbortSignal; onApplied?: (item: T, action: ApplyAction) => void} = {}): Promise<WriteReport<T>> {
  const report: WriteReport<T> = {applied: [], notApplied: [], interrupted: false}
  for (const [i, item] of items.entries()) {
    if (o.signal?.aborted) {
      report.interrupted = true
      report.notApplied = items.slice(i)
      return report
    }
    let action: ApplyAction
    try {
      action = await write(item)
    } catch (e) {
      if (!(e instanceof KubeError || e instanceof InterruptedError)) throw e
      // Cut by Ctrl-C in flight, the write may or may not have reached the server: it is reported as failed.
      report.interrupted = e instanceof InterruptedError
      report.failed = {item, error: e}
      report.notApplied = items.slice(i + 1)
      return report
    }
    report.applied.push({item, action})
    o.onApplied?.(item, action)
  }
  return report
}

