// The HTTP side of the emulator: authentication, discovery, CRUD, watch and pod logs.
import type {IncomingMessage, ServerResponse} from 'node:http'
import * as yaml from 'js-yaml'
import type {KubeObject} from './types.js'
import type {Cluster, PatchType, WriteOptions} from './cluster.js'
import {apiGroup, apiGroupList, apiVersions, openApiGroupVersion, openApiRoot, resourceList, VERSION_INFO} from './discovery.js'
import type {FaultHooks} from './hooks.js'
import type {Logs} from './logs.js'
import {serveLogs} from './pod-logs.js'
import {decodeProtobufObject} from './protobuf.js'
import {apiVersionOf} from './resources.js'
import {authorize, parseRequest, type ResourceRequest, type User} from './requests.js'
import {matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError} from './selectors.js'
import {ApiError, badRequest, gone, unauthorized} from './status.js'
import type {StoreEvent} from './store.js'
import {toTable, wantsTable} from './tables.js'
import {jsonPatch, mergePatch} from './patch.js'

export interface ServerContext {
  cluster: Cluster
  logs: Logs
  faults: FaultHooks
  users: Map<string, User>
  /** Open watch streams, so faults can expire them. */
  watches: Set<{expire(): void}>
  /** How often watches that allow bookmarks get one (default 10 s). */
  bookmarkIntervalMs?: number
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  // Encoded once: Buffer.byteLength then res.end(text) went over a large list twice.
  const bytes = Buffer.from(JSON.stringify(body))
  res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': bytes.length, 'Cache-Control': 'no-cache, private'})
  res.end(bytes)
}

export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) { res.destroy(); return }
  const e = err instanceof ApiError ? err : err instanceof SelectorError ? badRequest(err.message)
    : new ApiError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`)
  sendJson(res, e.code, e.toStatus())
}

export function authenticate(ctx: ServerContext, req: IncomingMessage): User {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  if (m) {
    const user = ctx.users.get(m[1])
    if (!user) throw unauthorized()
    return user
  }
  // A client certificate signed by the playground CA authenticates its CN (the TLS layer checked the signature).
  const socket = req.socket as import('node:tls').TLSSocket
  if (socket.authorized) {
    const cn = socket.getPeerCertificate()?.subject?.CN
    const user = [...ctx.users.values()].find((u) => u.name === cn)
    if (user) return user
  }
  throw unauthorized()
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

function parseBody(body: Buffer, contentType: string): any {
  if (/protobuf/.test(contentType)) return decodeProtobufObject(body)
  const text = body.toString('utf8')
  try {
    return /yaml/.test(contentType) ? yaml.load(text) : JSON.parse(text)
  } catch (e) {
    throw badRequest(`the body of the request could not be decoded: ${(e as Error).message.split('\n')[0]}`)
  }
}

function patchType(contentType: string): PatchType {
  if (contentType.startsWith('application/apply-patch')) return 'apply'
  if (contentType.startsWith('application/strategic-merge-patch+json')) return 'strategic'
  if (contentType.startsWith('application/merge-patch+json')) return 'merge'
  if (contentType.startsWith('application/json-patch+json')) return 'json'
  throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`)
}

function managerOf(q: URLSearchParams): string | undefined {
  return q.get('fieldManager') ?? undefined
}

function defaultManager(req: IncomingMessage): string {
  const ua = req.headers['user-agent'] ?? ''
  return ua.split('/')[0] || 'unknown'
}

function selectorFilter(q: URLSearchParams): (o: KubeObject) => boolean {
  const labels = q.get('labelSelector') ? parseLabelSelector(q.get('labelSelector')!) : []
  const fields = q.get('fieldSelector') ? parseFieldSelector(q.get('fieldSelector')!) : () => true
  return (o) => matchesLabels(labels, o.metadata?.labels) && fields(o)
}

export async function handleRequest(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'https://x')
    const path = url.pathname.replace(/\/+$/, '') || '/'
    if (['/healthz', '/livez', '/readyz'].includes(path)) { res.writeHead(200, {'Content-Type': 'text/plain'}); res.end('ok'); return }
    const user = authenticate(ctx, req)
    if (path === '/version') return sendJson(res, 200, VERSION_INFO)
    if (path === '/openapi/v3') return sendJson(res, 200, openApiRoot(ctx.cluster.registry))
    const oa = path.match(/^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/)
    if (oa) {
      const doc = openApiGroupVersion(ctx.cluster.registry, oa[2] ?? '', oa[1] ?? oa[3])
      if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource')
      return sendJson(res, 200, doc)
    }
    const r = parseRequest(ctx.cluster.registry, req.method ?? 'GET', path, url.searchParams)
    if (r.kind === 'other') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource')
    if (r.kind === 'discovery') {
      const reg = ctx.cluster.registry
      const body = r.doc === 'api' ? apiVersions() : r.doc === 'apis' ? apiGroupList(reg) : r.doc === 'group' ? apiGroup(reg, r.group!) : resourceList(reg, r.group!, r.version!)
      if (!body) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource')
      return sendJson(res, 200, body)
    }
    if (r.type.plural === 'selfsubjectaccessreviews') return await selfSubjectAccessReview(ctx, user, r, req, res)
    authorize(user, r)
    await handleResource(ctx, r, url.searchParams, req, res)
  } catch (err) {
    sendError(res, err)
  }
}

async function handleResource(ctx: ServerContext, r: ResourceRequest, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const {cluster} = ctx
  const t = r.type
  const table = wantsTable(req.headers.accept)
  const opts: WriteOptions = {dryRun: q.getAll('dryRun').includes('All'), force: q.get('force') === 'true', subresource: r.subresource}
  if (r.subresource === 'log') return serveLogs(ctx, r, q, req, res)
  if (r.subresource === 'exec' || r.subresource === 'portforward') {
    throw badRequest(`Upgrade request required`)
  }
  if (r.subresource === 'scale') return scale(ctx, r, q, req, res)
  switch (r.verb) {
    case 'get': {
      const o = cluster.get(t, r.namespace, r.name!, r.version)
      return sendJson(res, 200, table ? toTable(t, [o], {resourceVersion: o.metadata?.resourceVersion}, q.get('includeObject') ?? undefined) : o)
    }
    case 'list': return list(ctx, r, q, table, res)
    case 'watch': return watch(ctx, r, q, table, req, res)
    case 'create': {
      const body = parseBody(await readBody(req), req.headers['content-type'] ?? 'application/json')
      const created = cluster.create(t, r.namespace ?? body?.metadata?.namespace, body, {...opts, manager: managerOf(q) ?? defaultManager(req)})
      return sendJson(res, 201, cluster.view(t, created, r.version))
    }
    case 'update': {
      const body = parseBody(await readBody(req), req.headers['content-type'] ?? 'application/json')
      const updated = cluster.update(t, r.namespace, r.name!, body, {...opts, manager: managerOf(q) ?? defaultManager(req)})
      return sendJson(res, 200, cluster.view(t, updated, r.version))
    }
    case 'patch': {
      const type = patchType(req.headers['content-type'] ?? '')
      const body = parseBody(await readBody(req), type === 'apply' ? 'application/yaml' : 'application/json')
      const existed = Boolean(cluster.find(t, r.namespace, r.name!))
      const manager = type === 'apply' ? managerOf(q) : managerOf(q) ?? defaultManager(req)
      const out = cluster.patch(t, r.namespace, r.name!, type, body, {...opts, manager})
      return sendJson(res, existed ? 200 : 201, cluster.view(t, out, r.version))
    }
    case 'delete': {
      const gone = cluster.delete(t, r.namespace, r.name!, opts)
      return sendJson(res, 200, cluster.view(t, gone, r.version))
    }
    case 'deletecollection': {
      const filter = selectorFilter(q)
      const items = cluster.list(t, r.namespace).filter(filter).map((o) => cluster.delete(t, o.metadata?.namespace, o.metadata!.name!, opts))
      return sendJson(res, 200, {kind: t.listKind, apiVersion: apiVersionOf(t.group, r.version), metadata: {}, items})
    }
  }
}

function list(ctx: ServerContext, r: ResourceRequest, q: URLSearchParams, table: boolean, res: ServerResponse): void {
  const {cluster} = ctx
  const filter = selectorFilter(q)
  let items = cluster.list(r.type, r.namespace).filter(filter)
  const rv = String(cluster.store.currentRv())
  const meta: Record<string, unknown> = {resourceVersion: rv}
  const limit = Number(q.get('limit') ?? 0)
  const cont = q.get('continue')
  let offset = 0
  if (cont) {
    let token: {offset: number; rv?: string}
    try { token = JSON.parse(Buffer.from(cont, 'base64').toString()) } catch { throw badRequest('continue key is not valid') }
    offset = token.offset
    // A continue token pins the list's resourceVersion; once compacted, the API server answers 410 and the client
    // starts the list again (k8s.io/apiserver storage/etcd3 store.go GetList, client-go tools/pager).
    if (Number(token.rv) < cluster.store.compactedRv) throw gone('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.')
  }
  if (limit > 0 || offset > 0) {
    const end = limit > 0 ? offset + limit : items.length
    if (end < items.length) {
      meta.continue = Buffer.from(JSON.stringify({offset: end, rv})).toString('base64')
      meta.remainingItemCount = items.length - end
    }
    items = items.slice(offset, end)
  }
  const views = items.map((o) => cluster.viewShared(r.type, o, r.version))
  if (table) return sendJson(res, 200, toTable(r.type, views, meta, q.get('includeObject') ?? undefined))
  sendJson(res, 200, {kind: r.type.listKind, apiVersion: apiVersionOf(r.type.group, r.version), metadata: meta, items: views})
}

function watch(ctx: ServerContext, r: ResourceRequest, q: URLSearchParams, table: boolean, req: IncomingMessage, res: ServerResponse): void {
  const {cluster} = ctx
  const key = `${r.type.group}/${r.type.plural}`
  const filter = selectorFilter(q)
  const inScope = (o: KubeObject) => (!r.namespace || o.metadata?.namespace === r.namespace) && (!r.name || o.metadata?.name === r.name) && filter(o)
  const rvParam = q.get('resourceVersion')
  res.writeHead(200, {'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'})
  res.flushHeaders()
  const write = (type: string, o: unknown) => res.write(`${JSON.stringify({type, object: o})}\n`)
  const shape = (o: KubeObject) => {
    const v = cluster.viewShared(r.type, o, r.version)
    return table ? toTable(r.type, [v], {resourceVersion: v.metadata?.resourceVersion}) : v
  }
  const expiredStatus = (rv: string) => gone(`too old resource version: ${rv} (${cluster.store.compactedRv})`).toStatus()
  // With selectors, an object that stops matching is reported as DELETED and one that starts as ADDED.
  const keyOf = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`
  const selected = new Set(cluster.list(r.type, r.namespace).filter(inScope).map(keyOf))
  const relay = (ev: StoreEvent) => {
    const k = keyOf(ev.obj)
    const matches = inScope(ev.obj)
    if (ev.type === 'DELETED') { if (selected.delete(k) || matches) write('DELETED', shape(ev.obj)); return }
    if (matches) { write(selected.has(k) ? ev.type : 'ADDED', shape(ev.obj)); selected.add(k) }
    else if (selected.delete(k)) write('DELETED', shape(ev.obj))
  }
  let backlog: StoreEvent[] | undefined
  if (!rvParam || rvParam === '0') {
    for (const o of cluster.list(r.type, r.namespace).filter(inScope)) write('ADDED', shape(o))
    backlog = []
  } else {
    backlog = Number.isFinite(Number(rvParam)) ? cluster.store.eventsSince(key, Number(rvParam)) : undefined
    if (!backlog) { write('ERROR', expiredStatus(rvParam)); res.end(); return }
    // Objects touched by the replay are judged by their state at that resourceVersion, not by their current one.
    for (const ev of backlog) {
      const k = keyOf(ev.obj)
      selected.delete(k)
      const before = cluster.store.stateAt(key, ev.obj.metadata?.namespace, ev.obj.metadata!.name!, Number(rvParam))
      if (before ? inScope(before) : before === undefined && ev.type === 'MODIFIED' && inScope(ev.obj)) selected.add(k)
    }
  }
  for (const ev of backlog) if (!r.namespace || ev.obj.metadata?.namespace === r.namespace) relay(ev)
  const bookmark = () => write('BOOKMARK', {kind: r.type.kind, apiVersion: apiVersionOf(r.type.group, r.version), metadata: {resourceVersion: String(cluster.store.currentRv())}})
  if (q.get('allowWatchBookmarks') === 'true' && q.get('sendInitialEvents') === 'true') {
    write('BOOKMARK', {kind: r.type.kind, apiVersion: apiVersionOf(r.type.group, r.version), metadata: {resourceVersion: String(cluster.store.currentRv()), annotations: {'k8s.io/initial-events-end': 'true'}}})
  }
  let lastRv = String(cluster.store.currentRv())
  const onEvent = (ev: StoreEvent) => {
    if (ev.key !== key) return
    if (r.namespace && ev.obj.metadata?.namespace !== r.namespace) return
    if (r.name && ev.obj.metadata?.name !== r.name) return
    lastRv = String(ev.rv)
    relay(ev)
  }
  const handle = {expire: () => { write('ERROR', expiredStatus(lastRv)); stop() }}
  const timeout = Number(q.get('timeoutSeconds') ?? 0)
  const timer = timeout > 0 ? setTimeout(() => stop(), timeout * 1000) : undefined
  const bookmarks = q.get('allowWatchBookmarks') === 'true' ? setInterval(bookmark, ctx.bookmarkIntervalMs ?? 10_000) : undefined
  function stop() {
    cluster.store.off('event', onEvent)
    ctx.watches.delete(handle)
    if (timer) clearTimeout(timer)
    if (bookmarks) clearInterval(bookmarks)
    if (!res.writableEnded) res.end()
  }
  cluster.store.on('event', onEvent)
  ctx.watches.add(handle)
  req.on('close', stop)
  res.on('close', stop)
}

/** authorization.k8s.io SelfSubjectAccessReview: answers "can I?" with the playground's RBAC. */
async function selfSubjectAccessReview(ctx: ServerContext, user: User, r: ResourceRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (r.verb !== 'create') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
  const body = parseBody(await readBody(req), req.headers['content-type'] ?? 'application/json')
  const a = body?.spec?.resourceAttributes ?? {}
  let allowed = true
  const type = ctx.cluster.registry.all().find((t) => t.plural === a.resource && (a.group === undefined || a.group === '*' || t.group === a.group))
  if (type) {
    try {
      authorize(user, {kind: 'resource', verb: a.verb ?? 'get', type, group: type.group, version: type.versions[0], namespace: a.namespace || undefined, name: a.name || undefined, subresource: a.subresource || undefined})
    } catch {
      allowed = false
    }
  } else if (user.namespaces && !(a.namespace && user.namespaces.includes(a.namespace))) {
    allowed = false
  }
  sendJson(res, 201, {kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {creationTimestamp: null}, spec: body?.spec ?? {},
    status: {allowed}})
}

/** The scale subresource of Deployments and ReplicaSets (autoscaling/v1 Scale). */
async function scale(ctx: ServerContext, r: ResourceRequest, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const {cluster} = ctx
  const toScale = (o: KubeObject) => ({
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: {name: o.metadata?.name, namespace: o.metadata?.namespace, uid: o.metadata?.uid, resourceVersion: o.metadata?.resourceVersion, creationTimestamp: o.metadata?.creationTimestamp},
    spec: {replicas: (o.spec as any)?.replicas ?? 1},
    status: {replicas: (o.status as any)?.replicas ?? 0, selector: Object.entries((o.spec as any)?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')},
  })
  if (r.verb === 'get') return sendJson(res, 200, toScale(cluster.get(r.type, r.namespace, r.name!)))
  if (r.verb !== 'update' && r.verb !== 'patch') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
  const current = toScale(cluster.get(r.type, r.namespace, r.name!))
  const body = parseBody(await readBody(req), r.verb === 'patch' && /apply-patch/.test(req.headers['content-type'] ?? '') ? 'application/yaml' : 'application/json')
  const next = r.verb === 'update' ? body : patchType(req.headers['content-type'] ?? '') === 'json' ? jsonPatch(current, body) : mergePatch(current, body)
  const replicas = Number(next?.spec?.replicas)
  if (!Number.isInteger(replicas) || replicas < 0) throw badRequest('spec.replicas must be a non-negative integer')
  cluster.patch(r.type, r.namespace, r.name!, 'merge', {spec: {replicas}}, {manager: managerOf(q) ?? defaultManager(req), dryRun: q.getAll('dryRun').includes('All')})
  sendJson(res, 200, toScale(cluster.get(r.type, r.namespace, r.name!)))
}
