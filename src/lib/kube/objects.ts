// Typed-agnostic object access for manifests (MetaRouters, Deployments, CRDs): discovery maps kind to
// resource like kubectl does, then get/list/apply/delete. Server-side apply is the write path.
import type {KubeObject} from '../resources/types.js'
import type {KubeClient} from './client.js'
import {KubeError, type RequestTarget} from './errors.js'

export interface ApiResource {
  group: string
  version: string
  kind: string
  plural: string
  namespaced: boolean
}

const discoveryCache = new WeakMap<KubeClient, Map<string, Promise<any>>>()

function groupVersion(apiVersion: string): {group: string; version: string} {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]
  return {group, version}
}

/** Maps apiVersion + kind to the served resource (one discovery call per group-version per client). */
export async function resourceFor(kube: KubeClient, apiVersion: string, kind: string): Promise<ApiResource> {
  const {group, version} = groupVersion(apiVersion)
  let cache = discoveryCache.get(kube)
  if (!cache) { cache = new Map(); discoveryCache.set(kube, cache) }
  const path = group ? `/apis/${group}/${version}` : `/api/${version}`
  let list = cache.get(path)
  if (!list) {
    list = kube.get(path, {verb: 'get', resource: `discovery ${apiVersion}`}).catch((e) => { cache!.delete(path); throw e })
    cache.set(path, list)
  }
  let doc
  try {
    doc = await list
  } catch (e) {
    if (e instanceof KubeError && e.kind === 'not-found') throw new KubeError('not-found', `the cluster does not serve ${apiVersion} (needed for ${kind}); is the CRD installed?`, 404)
    throw e
  }
  const r = (doc.resources ?? []).find((x: any) => x.kind === kind && !String(x.name).includes('/'))
  if (!r) throw new KubeError('not-found', `the cluster serves ${apiVersion} but has no kind ${kind} in it`, 404)
  return {group, version, kind, plural: r.name, namespaced: Boolean(r.namespaced)}
}

export function objectPath(r: ApiResource, namespace?: string, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`
  const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : ''
  return `${base}${ns}/${r.plural}${name ? `/${encodeURIComponent(name)}` : ''}`
}

function target(r: ApiResource, verb: string, namespace?: string, name?: string): RequestTarget {
  return {verb, resource: r.group ? `${r.plural}.${r.group}` : r.plural, namespace: r.namespaced ? namespace : undefined, name}
}

export interface ApplyOptions {
  fieldManager?: string
  force?: boolean
  dryRun?: boolean
  /** Namespace for namespaced objects that carry none (default: the client's namespace). */
  namespace?: string
}

export interface ApplyResult {
  object: KubeObject
  created: boolean
  resource: ApiResource
}

/** Server-side apply of one object (kubectl apply --server-side). Conflicts come back as kind "conflict". */
export async function applyObject(kube: KubeClient, obj: KubeObject, o: ApplyOptions = {}): Promise<ApplyResult> {
  if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) throw new KubeError('invalid', 'an object to apply needs apiVersion, kind and metadata.name')
  const r = await resourceFor(kube, obj.apiVersion, obj.kind)
  const namespace = r.namespaced ? obj.metadata.namespace ?? o.namespace ?? kube.namespace : undefined
  const body = r.namespaced ? {...obj, metadata: {...obj.metadata, namespace}} : obj
  const {status, body: out} = await kube.requestWithStatus<KubeObject>('PATCH', objectPath(r, namespace, obj.metadata.name), {
    target: target(r, 'patch', namespace, obj.metadata.name), body, contentType: 'application/apply-patch+yaml',
    query: {fieldManager: o.fieldManager ?? 'aerakictl', force: o.force ? 'true' : undefined, dryRun: o.dryRun ? 'All' : undefined},
  })
  return {object: out, created: status === 201, resource: r}
}

export async function getObject(kube: KubeClient, apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubeObject> {
  const r = await resourceFor(kube, apiVersion, kind)
  const ns = namespace ?? kube.namespace
  return kube.get(objectPath(r, ns, name), target(r, 'get', ns, name))
}

export async function listObjects(kube: KubeClient, apiVersion: string, kind: string, o: {namespace?: string; allNamespaces?: boolean; labelSelector?: string} = {}): Promise<KubeObject[]> {
  const r = await resourceFor(kube, apiVersion, kind)
  const ns = o.namespace ?? kube.namespace
  const path = r.namespaced && !o.allNamespaces ? objectPath(r, ns) : objectPath({...r, namespaced: false})
  const list = await kube.get<{items: KubeObject[]}>(path, target(r, 'list', o.allNamespaces ? undefined : ns), o.labelSelector ? {labelSelector: o.labelSelector} : undefined)
  return list.items
}

/** Deletes an object; resolves false when it did not exist. */
export async function deleteObject(kube: KubeClient, apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean> {
  const r = await resourceFor(kube, apiVersion, kind)
  const ns = namespace ?? kube.namespace
  try {
    await kube.request('DELETE', objectPath(r, ns, name), {target: target(r, 'delete', ns, name)})
    return true
  } catch (e) {
    if (e instanceof KubeError && e.kind === 'not-found') return false
    throw e
  }
}

/** `kubectl auth can-i` through a SelfSubjectAccessReview. */
export async function canI(kube: KubeClient, a: {verb: string; resource: string; group?: string; namespace?: string; subresource?: string; name?: string}): Promise<boolean> {
  const review = await kube.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    target: {verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io'},
    body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {verb: a.verb, resource: a.resource, group: a.group ?? '', namespace: a.namespace, subresource: a.subresource, name: a.name}}},
  })
  return review?.status?.allowed === true
}
