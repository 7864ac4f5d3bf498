// The resource types the emulator serves: built-in kinds plus whatever the stored CRDs define.
import type {KubeObject} from './types.js'

export interface ResourceType {
  group: string
  /** Versions served, the first one is the storage version. */
  versions: string[]
  kind: string
  listKind: string
  plural: string
  singular: string
  namespaced: boolean
  shortNames: string[]
  categories: string[]
  subresources: string[]
  /** Set for types that come from a CustomResourceDefinition. */
  crd?: string
  /** Verbs when not the full set (e.g. create-only reviews). */
  verbs?: string[]
  /** A CRD's additionalPrinterColumns (server-side printing of `kubectl get`). */
  printerColumns?: Array<{name: string; type: string; jsonPath: string; priority?: number; description?: string}>
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

function builtin(group: string, version: string, kind: string, plural: string, namespaced: boolean, shortNames: string[] = [], subresources: string[] = []): ResourceType {
  return {group, versions: [version], kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), namespaced, shortNames, categories: ['all'], subresources}
}

export const BUILTIN_TYPES: ResourceType[] = [
  builtin('', 'v1', 'Namespace', 'namespaces', false, ['ns'], ['status', 'finalize']),
  builtin('', 'v1', 'Pod', 'pods', true, ['po'], ['status', 'log', 'exec', 'portforward']),
  builtin('', 'v1', 'Service', 'services', true, ['svc'], ['status']),
  builtin('', 'v1', 'Endpoints', 'endpoints', true, ['ep']),
  builtin('', 'v1', 'ConfigMap', 'configmaps', true, ['cm']),
  builtin('', 'v1', 'Event', 'events', true, ['ev']),
  builtin('', 'v1', 'ServiceAccount', 'serviceaccounts', true, ['sa']),
  builtin('', 'v1', 'Secret', 'secrets', true),
  builtin('', 'v1', 'Node', 'nodes', false, ['no'], ['status']),
  builtin('apps', 'v1', 'Deployment', 'deployments', true, ['deploy'], ['status', 'scale']),
  builtin('apps', 'v1', 'ReplicaSet', 'replicasets', true, ['rs'], ['status', 'scale']),
  builtin('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, ['crd', 'crds'], ['status']),
  {...builtin('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false), categories: [], verbs: ['create']},
]

export function typeKey(t: {group: string; plural: string}): string {
  return `${t.group}/${t.plural}`
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version
}

export function verbsFor(t: ResourceType): string[] {
  return t.verbs ?? VERBS
}

/** The resource types a CRD object defines (one per CRD, with all served versions). */
export function typeFromCrd(crd: KubeObject): ResourceType | undefined {
  const spec = crd.spec ?? {}
  const names = spec.names ?? {}
  if (!spec.group || !names.plural || !names.kind) return undefined
  const versions: Array<{name: string; served?: boolean; storage?: boolean; subresources?: Record<string, unknown>; additionalPrinterColumns?: ResourceType['printerColumns']}> = spec.versions ?? []
  const served = versions.filter((v) => v.served !== false)
  if (served.length === 0) return undefined
  const storage = served.find((v) => v.storage) ?? served[0]
  const ordered = [storage.name, ...served.map((v) => v.name).filter((n) => n !== storage.name)]
  return {
    group: spec.group, versions: ordered, kind: names.kind, listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural, singular: names.singular ?? names.kind.toLowerCase(), namespaced: spec.scope !== 'Cluster',
    shortNames: names.shortNames ?? [], categories: names.categories ?? [],
    subresources: Object.keys(storage.subresources ?? {}), crd: crd.metadata?.name,
    ...(storage.additionalPrinterColumns?.length ? {printerColumns: storage.additionalPrinterColumns} : {}),
  }
}

export class TypeRegistry {
  private types = new Map<string, ResourceType>()

  constructor() {
    for (const t of BUILTIN_TYPES) this.types.set(typeKey(t), t)
  }

  add(t: ResourceType): void { this.types.set(typeKey(t), t) }
  remove(t: ResourceType): void { this.types.delete(typeKey(t)) }
  all(): ResourceType[] { return [...this.types.values()] }
  byKey(key: string): ResourceType | undefined { return this.types.get(key) }

  /** The type served at group/version with this plural, if that version is served. */
  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    const t = this.types.get(`${group}/${plural}`)
    return t && t.versions.includes(version) ? t : undefined
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion]
    return this.all().find((t) => t.group === group && t.kind === kind && t.versions.includes(version))
  }

  /** group → versions served, in a stable order (core group first). */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>()
    for (const t of this.all()) {
      const vs = out.get(t.group) ?? []
      for (const v of t.versions) if (!vs.includes(v)) vs.push(v)
      out.set(t.group, vs)
    }
    return out
  }
}
