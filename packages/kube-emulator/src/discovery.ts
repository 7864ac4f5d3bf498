// Discovery documents (/api, /apis, /apis/g/v) and the minimal OpenAPI v3 that makes `kubectl apply`
// switch to server-side field validation (toolchain §5).
import {apiVersionOf, verbsFor, type ResourceType, type TypeRegistry} from './resources.js'

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/)
    if (!m) return [0, 0, 0]
    return [m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1, Number(m[1]), Number(m[3] ?? 0)]
  }
  const [pa, pb] = [parse(a), parse(b)]
  return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2]
}

export function apiVersions() {
  return {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443'}]}
}

function group(name: string, versions: string[]) {
  const sorted = [...versions].sort(compareVersions)
  const gv = sorted.map((v) => ({groupVersion: `${name}/${v}`, version: v}))
  return {name, versions: gv, preferredVersion: gv[0]}
}

export function apiGroupList(reg: TypeRegistry) {
  const groups = [...reg.groups()].filter(([g]) => g !== '').sort(([a], [b]) => a.localeCompare(b))
  return {kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(([g, vs]) => group(g, vs))}
}

export function apiGroup(reg: TypeRegistry, name: string) {
  const vs = reg.groups().get(name)
  return vs ? {kind: 'APIGroup', apiVersion: 'v1', ...group(name, vs)} : undefined
}

export function resourceList(reg: TypeRegistry, groupName: string, version: string) {
  const types = reg.all().filter((t) => t.group === groupName && t.versions.includes(version))
  if (types.length === 0) return undefined
  const resources: unknown[] = []
  for (const t of types) {
    resources.push({
      name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: verbsFor(t),
      ...(t.shortNames.length ? {shortNames: t.shortNames} : {}), ...(t.categories.length ? {categories: t.categories} : {}),
    })
    for (const sub of t.subresources) {
      const verbs = sub === 'log' ? ['get'] : sub === 'exec' || sub === 'portforward' ? ['create', 'get'] : ['get', 'patch', 'update']
      resources.push({name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced, kind: sub === 'scale' ? 'Scale' : sub === 'exec' ? 'PodExecOptions' : sub === 'log' ? 'Pod' : sub === 'portforward' ? 'PodPortForwardOptions' : t.kind, verbs})
    }
  }
  return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(groupName, version), resources}
}

export function openApiRoot(reg: TypeRegistry) {
  const paths: Record<string, {serverRelativeURL: string}> = {'api/v1': {serverRelativeURL: '/openapi/v3/api/v1?hash=v1'}}
  for (const [g, vs] of reg.groups()) {
    if (g === '') continue
    for (const v of vs) paths[`apis/${g}/${v}`] = {serverRelativeURL: `/openapi/v3/apis/${g}/${v}?hash=${g}-${v}`}
  }
  return {paths}
}

/** Per group-version document: one patchable path per kind carrying its GVK and the fieldValidation parameter. */
export function openApiGroupVersion(reg: TypeRegistry, groupName: string, version: string) {
  const types: ResourceType[] = reg.all().filter((t) => t.group === groupName && t.versions.includes(version))
  if (types.length === 0) return undefined
  const prefix = groupName ? `/apis/${groupName}/${version}` : '/api/v1'
  const paths: Record<string, unknown> = {}
  const schemas: Record<string, unknown> = {}
  for (const t of types) {
    const gvk = {group: groupName, version, kind: t.kind}
    const schemaName = `${groupName || 'core'}.${version}.${t.kind}`
    const item = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}/{name}` : `${prefix}/${t.plural}/{name}`
    paths[item] = {
      get: {'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: {'200': {content: {'application/json': {schema: {$ref: `#/components/schemas/${schemaName}`}}}}}},
      patch: {'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk, parameters: [{name: 'fieldValidation', in: 'query', schema: {type: 'string'}}, {name: 'fieldManager', in: 'query', schema: {type: 'string'}}], responses: {'200': {}}},
    }
    schemas[schemaName] = {type: 'object', 'x-kubernetes-group-version-kind': [gvk], 'x-kubernetes-preserve-unknown-fields': true}
  }
  return {openapi: '3.0.0', info: {title: 'Kubernetes', version: 'v1.32.0'}, paths, components: {schemas}}
}

export const VERSION_INFO = {
  major: '1', minor: '32', gitVersion: 'v1.32.0-aerakictl-playground', gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23.0', compiler: 'gc', platform: 'linux/amd64',
}
