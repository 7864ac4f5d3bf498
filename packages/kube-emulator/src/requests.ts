// Parsing an API request path into what it addresses, and authorising it.
import type {TypeRegistry, ResourceType} from './resources.js'
import {ApiError} from './status.js'

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection'

export interface ResourceRequest {
  kind: 'resource'
  verb: Verb
  type: ResourceType
  group: string
  version: string
  namespace?: string
  name?: string
  subresource?: string
}

export type ApiRequest =
  | ResourceRequest
  | {kind: 'discovery'; doc: 'api' | 'apis' | 'group' | 'resources'; group?: string; version?: string}
  | {kind: 'other'}

export function parseRequest(reg: TypeRegistry, method: string, pathname: string, query: URLSearchParams): ApiRequest {
  const segs = pathname.split('/').filter(Boolean).map(decodeURIComponent)
  let group: string, version: string, rest: string[]
  if (segs[0] === 'api') {
    if (segs.length === 1) return {kind: 'discovery', doc: 'api'}
    ;[group, version, rest] = ['', segs[1], segs.slice(2)]
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return {kind: 'discovery', doc: 'apis'}
    if (segs.length === 2) return {kind: 'discovery', doc: 'group', group: segs[1]}
    ;[group, version, rest] = [segs[1], segs[2], segs.slice(3)]
  } else return {kind: 'other'}
  if (rest.length === 0) return {kind: 'discovery', doc: 'resources', group, version}
  let watchPath = false
  if (rest[0] === 'watch') { watchPath = true; rest = rest.slice(1) }
  let namespace: string | undefined, plural: string, name: string | undefined, subresource: string | undefined
  const nsType = rest[0] === 'namespaces' && rest.length >= 3 ? reg.lookup(group, version, rest[2]) : undefined
  if (nsType?.namespaced) [namespace, plural, name, subresource] = [rest[1], rest[2], rest[3], rest[4]]
  else [plural, name, subresource] = [rest[0], rest[1], rest[2]]
  const type = reg.lookup(group, version, plural)
  if (!type || (namespace && !type.namespaced)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource')
  if (subresource && !type.subresources.includes(subresource)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource')
  const watch = watchPath || query.get('watch') === 'true' || query.get('watch') === '1'
  let verb: Verb
  switch (method) {
    case 'GET': case 'HEAD': verb = watch ? 'watch' : name ? 'get' : 'list'; break
    case 'POST': verb = 'create'; break
    case 'PUT': verb = 'update'; break
    case 'PATCH': verb = 'patch'; break
    case 'DELETE': verb = name ? 'delete' : 'deletecollection'; break
    default: throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`)
  }
  return {kind: 'resource', verb, type, group, version, namespace, name, subresource}
}

export interface User {
  name: string
  /** Namespaces this user may touch; undefined = everything. */
  namespaces?: string[]
}

/** RBAC of the playground: the admin may do anything, a limited user only inside its namespaces. */
export function authorize(user: User, r: ResourceRequest): void {
  if (!user.namespaces) return
  const allowed = r.namespace ? user.namespaces.includes(r.namespace)
    : r.type.plural === 'namespaces' && r.name !== undefined && user.namespaces.includes(r.name) && (r.verb === 'get' || r.verb === 'watch')
  if (allowed) return
  // Writes to pods/exec and pods/portforward are checked as `create`, reads of pods/log as `get`.
  const verb = r.subresource === 'exec' || r.subresource === 'portforward' ? 'create' : r.verb
  const resource = r.subresource ? `${r.type.plural}/${r.subresource}` : r.type.plural
  const what = `${r.type.plural}${r.group ? `.${r.group}` : ''}${r.name ? ` "${r.name}"` : ''}`
  const where = r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope'
  throw new ApiError(403, 'Forbidden', `${what} is forbidden: User "${user.name}" cannot ${verb} resource "${resource}" in API group "${r.group}" ${where}`, {name: r.name, group: r.group || undefined, kind: r.type.plural})
}
