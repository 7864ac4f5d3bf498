// The API semantics, independent of HTTP: defaulting, create/update/patch/apply/delete, cascading
// deletion, CRD registration and events. Controllers and the HTTP layer both go through here.
import {EventEmitter} from 'node:events'
import {randomBytes, randomUUID} from 'node:crypto'
import type {KubeObject} from './types.js'
import {TypeRegistry, apiVersionOf, typeFromCrd, typeKey, type ResourceType} from './resources.js'
import {Store, type StoreEvent} from './store.js'
import {ApiError, alreadyExists, badRequest, conflict, invalid, notFound} from './status.js'
import {jsonPatch, mergePatch, strategicMergePatch} from './patch.js'
import {recordUpdate, serverSideApply} from './managed.js'

export interface WriteOptions {
  manager?: string
  dryRun?: boolean
  force?: boolean
  subresource?: string
  /** Internal writers (seeding, controllers) may set status on create; API clients may not. */
  keepStatus?: boolean
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply'

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z')
}

/** Kubernetes-style random suffix alphabet (no vowels, no confusable digits). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'
export function randomSuffix(n: number): string {
  return [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('')
}

export class Cluster extends EventEmitter {
  readonly store = new Store()
  readonly registry = new TypeRegistry()
  /** Mutating admission (e.g. a sidecar injector): runs on every create and update after the API defaults, before the built-in controllers' admission. */
  readonly admission: Array<(t: ResourceType, obj: KubeObject, old?: KubeObject) => void> = []
  private nextServiceIp = 10
  private nextPodIp = 10

  constructor() {
    super()
    this.setMaxListeners(0)
    this.store.on('event', (ev: StoreEvent) => {
      if (ev.key === 'apiextensions.k8s.io/customresourcedefinitions') this.syncCrd(ev)
    })
  }

  type(group: string, plural: string): ResourceType {
    const t = this.registry.byKey(`${group}/${plural}`)
    if (!t) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${plural}${group ? `.${group}` : ''})`)
    return t
  }

  typeOfKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.registry.byKind(apiVersion, kind)
  }

  allocatePodIp(): string {
    const n = this.nextPodIp++
    return `10.244.${Math.floor(n / 250)}.${(n % 250) + 1}`
  }

  /** Reads an object, converting to the requested version. */
  get(t: ResourceType, ns: string | undefined, name: string, version?: string): KubeObject {
    const o = this.store.get(t, ns, name)
    if (!o) throw notFound(t.plural, t.group, name)
    return this.view(t, o, version)
  }

  find(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(t, ns, name)
  }

  list(t: ResourceType, ns?: string): KubeObject[] {
    return this.store.list(t, ns)
  }

  count(t: ResourceType, ns?: string): number {
    return this.store.count(t, ns)
  }

  /** The stored object as served at `version`, without copying when no conversion is needed: read-only. */
  viewShared(t: ResourceType, o: KubeObject, version?: string): KubeObject {
    const apiVersion = apiVersionOf(t.group, version ?? t.versions[0])
    return o.apiVersion === apiVersion && o.kind === t.kind ? o : {...o, apiVersion, kind: t.kind}
  }

  view(t: ResourceType, o: KubeObject, version?: string): KubeObject {
    const out = structuredClone(o)
    out.apiVersion = apiVersionOf(t.group, version ?? t.versions[0])
    out.kind = t.kind
    return out
  }

  private requireNamespace(t: ResourceType, ns: string | undefined): void {
    if (!t.namespaced) return
    if (!ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    const nsObj = this.store.get(this.type('', 'namespaces'), undefined, ns)
    if (!nsObj) throw notFound('namespaces', '', ns)
    if ((nsObj.status as any)?.phase === 'Terminating') {
      throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${ns} because it is being terminated`)
    }
  }

  private checkBody(t: ResourceType, obj: KubeObject, ns: string | undefined, name?: string): void {
    if (!obj || typeof obj !== 'object') throw badRequest('the request body is not an object')
    if (obj.kind && obj.kind !== t.kind) throw badRequest(`the kind of the provided object (${obj.kind}) does not match the resource ${t.plural} (${t.kind})`)
    if (obj.apiVersion) {
      const [g] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['']
      if (g !== t.group) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API group ${t.group || 'core'}`)
    }
    if (t.namespaced && obj.metadata?.namespace && ns && obj.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request')
    }
    if (name && obj.metadata?.name && obj.metadata.name !== name) throw badRequest('the name of the object does not match the name on the URL')
  }

  private defaults(t: ResourceType, obj: KubeObject, old?: KubeObject): void {
    const md = obj.metadata!
    if (old) {
      md.uid = old.metadata!.uid
      md.creationTimestamp = old.metadata!.creationTimestamp
      if (old.metadata!.generation !== undefined) {
        md.generation = JSON.stringify(old.spec) === JSON.stringify(obj.spec) ? old.metadata!.generation : Number(old.metadata!.generation) + 1
      }
      if (old.status !== undefined && obj.status === undefined) obj.status = old.status
    } else {
      md.uid = randomUUID()
      md.creationTimestamp = nowIso()
      if ((obj.spec !== undefined && t.kind !== 'Pod') || t.kind === 'Deployment' || t.kind === 'ReplicaSet') md.generation = 1
    }
    const key = typeKey(t)
    if (key === '/namespaces') {
      md.labels = {...(md.labels ?? {}), 'kubernetes.io/metadata.name': md.name!}
      obj.spec = obj.spec ?? {finalizers: ['kubernetes']}
      obj.status = (old?.status as any)?.phase === 'Terminating' ? old!.status : {phase: 'Active'}
    } else if (key === '/services') {
      const s = (obj.spec ??= {})
      s.type ??= 'ClusterIP'
      if (!s.clusterIP) {
        s.clusterIP = old ? (old.spec as any)?.clusterIP : s.type === 'ExternalName' ? undefined : `10.96.${Math.floor(this.nextServiceIp / 250)}.${(this.nextServiceIp++ % 250) + 1}`
      }
      if (s.clusterIP) s.clusterIPs = [s.clusterIP]
      s.sessionAffinity ??= 'None'
      s.ipFamilies ??= ['IPv4']
      s.ipFamilyPolicy ??= 'SingleStack'
      s.internalTrafficPolicy ??= 'Cluster'
      for (const p of s.ports ?? []) { p.protocol ??= 'TCP'; p.targetPort ??= p.port }
      obj.status ??= {loadBalancer: {}}
    } else if (key === 'apps/deployments') {
      const s = (obj.spec ??= {})
      s.replicas ??= 1
      s.revisionHistoryLimit ??= 10
      s.progressDeadlineSeconds ??= 600
      s.strategy ??= {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}}
      for (const c of s.template?.spec?.containers ?? []) { c.imagePullPolicy ??= 'Always'; c.terminationMessagePath ??= '/dev/termination-log'; c.terminationMessagePolicy ??= 'File' }
      s.template && (s.template.spec.restartPolicy ??= 'Always', s.template.spec.dnsPolicy ??= 'ClusterFirst', s.template.spec.schedulerName ??= 'default-scheduler')
    } else if (key === 'apiextensions.k8s.io/customresourcedefinitions') {
      const names = obj.spec?.names ?? {}
      obj.status = {
        conditions: [
          {type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: nowIso()},
          {type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted', lastTransitionTime: nowIso()},
        ],
        acceptedNames: {plural: names.plural, singular: names.singular, kind: names.kind, listKind: names.listKind ?? `${names.kind}List`, ...(names.shortNames ? {shortNames: names.shortNames} : {}), ...(names.categories ? {categories: names.categories} : {})},
        storedVersions: (obj.spec?.versions ?? []).filter((v: any) => v.storage).map((v: any) => v.name),
      }
    }
    for (const admit of this.admission) admit(t, obj, old)
    this.emit('admit', t, obj, old)
  }

  private finish(t: ResourceType, ns: string | undefined, obj: KubeObject): KubeObject {
    obj.metadata ??= {}
    if (t.namespaced) obj.metadata.namespace = ns
    else delete obj.metadata.namespace
    obj.apiVersion = apiVersionOf(t.group, t.versions[0])
    obj.kind = t.kind
    return obj
  }

  create(t: ResourceType, ns: string | undefined, body: KubeObject, opts: WriteOptions = {}): KubeObject {
    this.checkBody(t, body, ns)
    const obj = this.finish(t, ns, structuredClone(body))
    const md = obj.metadata!
    if (!md.name && md.generateName) md.name = `${md.generateName}${randomSuffix(5)}`
    if (!md.name) throw invalid(t.kind, '', [{field: 'metadata.name', message: 'Required value: name or generateName is required'}])
    if (!NAME_RE.test(md.name) || md.name.length > 253) {
      throw invalid(t.kind, md.name, [{field: 'metadata.name', message: `Invalid value: "${md.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`}])
    }
    this.requireNamespace(t, ns)
    if (this.store.get(t, ns, md.name)) throw alreadyExists(t.plural, t.group, md.name)
    delete md.resourceVersion
    delete (md as any).managedFields
    // Like the API server, status is not taken from a create request for types with a status subresource.
    if (t.subresources.includes('status') && !opts.keepStatus) delete obj.status
    this.defaults(t, obj)
    if (opts.manager) recordUpdate(undefined, obj, opts.manager)
    if (opts.dryRun) return this.view(t, obj)
    return this.view(t, this.store.put(t, obj))
  }

  update(t: ResourceType, ns: string | undefined, name: string, body: KubeObject, opts: WriteOptions = {}): KubeObject {
    this.checkBody(t, body, ns, name)
    const old = this.store.get(t, ns, name)
    if (!old) throw notFound(t.plural, t.group, name)
    const obj = this.finish(t, ns, structuredClone(body))
    obj.metadata!.name = name
    const rv = obj.metadata!.resourceVersion
    if (rv && rv !== old.metadata!.resourceVersion) throw conflict(t.plural, t.group, name)
    if (opts.subresource === 'status') {
      const merged = {...structuredClone(old), status: obj.status}
      return this.commit(t, old, merged, opts)
    }
    if (opts.subresource !== 'status' && t.subresources.includes('status')) obj.status = old.status
    if (!(obj.metadata as any).managedFields) (obj.metadata as any).managedFields = (old.metadata as any).managedFields
    return this.commit(t, old, obj, opts)
  }

  private commit(t: ResourceType, old: KubeObject, obj: KubeObject, opts: WriteOptions, applied = false): KubeObject {
    this.defaults(t, obj, old)
    if (!applied && opts.manager) recordUpdate(old, obj, opts.manager, opts.subresource)
    if (opts.dryRun) return this.view(t, {...obj, metadata: {...obj.metadata, resourceVersion: old.metadata!.resourceVersion}})
    const unchanged = JSON.stringify({...obj, metadata: {...obj.metadata, resourceVersion: undefined, managedFields: undefined}}) ===
      JSON.stringify({...old, metadata: {...old.metadata, resourceVersion: undefined, managedFields: undefined}})
    if (unchanged && JSON.stringify((obj.metadata as any).managedFields) === JSON.stringify((old.metadata as any).managedFields)) return this.view(t, old)
    return this.view(t, this.store.put(t, obj))
  }

  patch(t: ResourceType, ns: string | undefined, name: string, type: PatchType, body: any, opts: WriteOptions = {}): KubeObject {
    const old = this.store.get(t, ns, name)
    if (type === 'apply') {
      if (!opts.manager) throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch')
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('error decoding YAML: the apply patch must be an object')
      if (!body.apiVersion || !body.kind) throw badRequest('invalid object type: apiVersion and kind must be set in an apply patch')
      this.checkBody(t, body, ns, name)
      const bodyCopy = this.finish(t, ns, structuredClone(body))
      bodyCopy.metadata!.name = name
      const merged = serverSideApply(old, bodyCopy, opts.manager, Boolean(opts.force), t.plural, t.group)
      this.finish(t, ns, merged)
      if (!old) {
        const created = this.create(t, ns, {...merged, metadata: {...merged.metadata, managedFields: undefined}}, {dryRun: opts.dryRun, keepStatus: opts.keepStatus})
        if (opts.dryRun) return created
        const stored = this.store.get(t, ns, name)!
        ;(stored.metadata as any).managedFields = (merged.metadata as any).managedFields
        return this.view(t, this.store.put(t, stored))
      }
      if (old.status !== undefined) merged.status = old.status
      return this.commit(t, old, merged, opts, true)
    }
    if (!old) throw notFound(t.plural, t.group, name)
    let next: KubeObject
    const base = opts.subresource === 'status' ? old : old
    if (type === 'merge') next = mergePatch(base, body)
    else if (type === 'strategic') {
      if (t.crd) throw new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml')
      next = strategicMergePatch(base, body)
    } else next = jsonPatch(base, body)
    if (!next || typeof next !== 'object') throw badRequest('the patch did not produce an object')
    next = this.finish(t, ns, next)
    next.metadata!.name = name
    const rv = (body as any)?.metadata?.resourceVersion
    if (rv && rv !== old.metadata!.resourceVersion) throw conflict(t.plural, t.group, name)
    if (opts.subresource === 'status') next = {...structuredClone(old), status: next.status}
    else if (t.subresources.includes('status')) next.status = old.status
    return this.commit(t, old, next, opts)
  }

  /** Deletes one object (cascading to owned objects; namespaces take their contents along). */
  delete(t: ResourceType, ns: string | undefined, name: string, opts: WriteOptions = {}): KubeObject {
    const old = this.store.get(t, ns, name)
    if (!old) throw notFound(t.plural, t.group, name)
    if (opts.dryRun) return this.view(t, old)
    if (typeKey(t) === '/namespaces') {
      const terminating = structuredClone(old)
      terminating.metadata!.deletionTimestamp = nowIso()
      terminating.status = {phase: 'Terminating'}
      const shown = this.store.put(t, terminating)
      for (const rt of this.registry.all()) {
        if (!rt.namespaced) continue
        for (const o of this.store.list(rt, name)) this.store.remove(rt, name, o.metadata!.name!)
      }
      this.store.remove(t, undefined, name)
      return this.view(t, shown)
    }
    const gone = this.store.remove(t, ns, name)!
    this.collectGarbage(gone.metadata!.uid as string, ns)
    return this.view(t, gone)
  }

  private collectGarbage(uid: string, ns: string | undefined): void {
    for (const rt of this.registry.all()) {
      for (const o of this.store.list(rt, rt.namespaced ? ns : undefined)) {
        if ((o.metadata as any)?.ownerReferences?.some((r: any) => r.uid === uid)) {
          try { this.delete(rt, o.metadata?.namespace, o.metadata!.name!) } catch { /* already gone */ }
        }
      }
    }
  }

  private syncCrd(ev: StoreEvent): void {
    const t = typeFromCrd(ev.obj)
    if (!t) return
    if (ev.type === 'DELETED') {
      const existing = this.registry.byKey(typeKey(t))
      if (existing) { this.store.dropType(existing); this.registry.remove(existing) }
    } else {
      this.registry.add(t)
    }
  }

  /** Records a core/v1 Event about an object. */
  recordEvent(involved: KubeObject, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal', component = 'kubelet'): void {
    const ns = involved.metadata?.namespace ?? 'default'
    const evType = this.type('', 'events')
    if (!this.store.get(this.type('', 'namespaces'), undefined, ns)) return
    const ts = nowIso()
    const name = `${involved.metadata?.name}.${randomBytes(8).toString('hex')}`
    this.store.put(evType, {
      apiVersion: 'v1', kind: 'Event',
      metadata: {name, namespace: ns, uid: randomUUID(), creationTimestamp: ts},
      involvedObject: {kind: involved.kind, namespace: ns, name: involved.metadata?.name, uid: involved.metadata?.uid, apiVersion: involved.apiVersion, resourceVersion: involved.metadata?.resourceVersion},
      reason, message, type, source: {component}, firstTimestamp: ts, lastTimestamp: ts, count: 1, reportingComponent: component, reportingInstance: '',
    })
  }
}
