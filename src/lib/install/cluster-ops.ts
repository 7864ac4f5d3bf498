// The cluster operations install/uninstall need, over @kubernetes/client-node (imported lazily: ~300 ms), with
// every failure mapped by call() to a KubeError naming verb, resource, namespace and context. An interface, so
// the apply loop can also be exercised with a fake.
import type {KubeObject} from '../resources/types.js'
import {KubeError} from '../kube/errors.js'
import {readLive, resourceOf, serverSideApply, targetOf} from '../cluster/apply.js'
import {call, type ClusterConnection} from '../cluster/connect.js'

export interface AccessQuestion {
  verb: string
  group: string
  resource: string
  namespace?: string
  name?: string
}

export interface ClusterOps {
  /** Context and server, for messages. */
  readonly where: {context: string; server: string}
  serverVersion(): Promise<string>
  /** Discovery: does the API serve this resource (e.g. a CRD's plural) at group/version? */
  serves(group: string, version: string, plural: string): Promise<boolean>
  canI(q: AccessQuestion): Promise<boolean>
  /** The live object, or undefined on 404. */
  read(obj: KubeObject): Promise<KubeObject | undefined>
  /** Server-side apply with field manager aerakictl; dryRun asks the server to validate without persisting. */
  apply(obj: KubeObject, dryRun: boolean): Promise<KubeObject>
  list(apiVersion: string, kind: string, namespace: string): Promise<KubeObject[]>
  delete(obj: KubeObject): Promise<void>
  /** Calls onChange on every watch event of the resource in the namespace until the returned stop() is called. */
  watch(path: string, onChange: () => void): Promise<() => void>
}

/** `force`: server-side apply takes over fields another manager owns (--force-conflicts). */
export async function clientNodeOps(conn: ClusterConnection, opts: {force?: boolean} = {}): Promise<ClusterOps> {
  const k8s = await import('@kubernetes/client-node')
  const authz = conn.kc.makeApiClient(k8s.AuthorizationV1Api)
  const custom = conn.kc.makeApiClient(k8s.CustomObjectsApi)
  const version = conn.kc.makeApiClient(k8s.VersionApi)
  const ep = conn.kube.endpoint
  return {
    where: {context: ep.contextName, server: ep.server},

    async serverVersion() {
      const v = await call(conn, {verb: 'get', resource: 'version'}, () => version.getCode())
      return v.gitVersion
    },

    async serves(group, v, plural) {
      try {
        const list = await call(conn, {verb: 'get', resource: `apis/${group}/${v}`}, () => custom.getAPIResources({group, version: v}))
        return list.resources.some(r => r.name === plural)
      } catch (e) {
        if (e instanceof KubeError && e.kind === 'not-found') return false
        throw e
      }
    },

    async canI(q) {
      const review = await call(conn, {verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io'}, () =>
        authz.createSelfSubjectAccessReview({body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: q}}}))
      return review.status?.allowed === true
    },

    read: (obj) => readLive(conn, obj),

    apply: (obj, dryRun) => serverSideApply(conn, obj, {dryRun, force: Boolean(opts.force)}),

    async list(apiVersion, kind, namespace) {
      const resource = await resourceOf(conn, {apiVersion, kind})
      const l = await call(conn, {verb: 'list', resource, namespace}, async () => (await conn.objects()).list(apiVersion, kind, namespace))
      return (l.items ?? []) as KubeObject[]
    },

    async delete(obj) {
      try {
        await call(conn, await targetOf(conn, 'delete', obj), async () => (await conn.objects()).delete(obj as any, undefined, undefined, undefined, undefined, 'Background'))
      } catch (e) {
        if (!(e instanceof KubeError && e.kind === 'not-found')) throw e
      }
    },

    async watch(path, onChange) {
      let stopped = false
      let ctl: AbortController | undefined
      // A watch that ends (server timeout, bookmark expiry) is restarted; polling by the caller covers the gaps.
      const start = async (): Promise<void> => {
        if (stopped) return
        try {
          ctl = await new k8s.Watch(conn.kc).watch(path, {allowWatchBookmarks: false}, () => onChange(), () => {
            if (!stopped) setTimeout(() => void start(), 500).unref()
          })
          if (stopped) ctl.abort()
        } catch {
          if (!stopped) setTimeout(() => void start(), 2000).unref()
        }
      }
      // Not awaited: a hung API must not hold the caller (the poll covers the time until the watch answers).
      void start()
      return () => {
        stopped = true
        ctl?.abort()
      }
    },
  }
}
