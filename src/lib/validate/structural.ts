// What the API server does to a custom resource before validation and before Aeraki sees it
// (docs/routing-semantics.md "What the API server does first"):
// 1. kubernetes apiextensions-apiserver pkg/apiserver/schema/defaulting/prunenulls.go
//    PruneNonNullableNullsWithoutDefaults: a null whose schema (a property, or additionalProperties for map values)
//    is neither nullable nor defaulted is deleted. `tenant: null` in `attributes` and `mirrorPercentage: null` vanish.
// 2. Structural pruning: fields the schema does not name (and no x-kubernetes-preserve-unknown-fields above them)
//    are unknown. kubectl's default --validate=strict makes the API server refuse the object
//    (`strict decoding error: unknown field "spec.x"`), --validate=warn warns and prunes, --validate=false prunes.
import {FindingSink} from './findings.js'
import type {Finding, KubeObject, Loaded} from '../resources/types.js'
import {readFileSync} from 'node:fs'

export type Schema = {
  type?: string
  properties?: Record<string, Schema>
  additionalProperties?: Schema | boolean
  items?: Schema
  nullable?: boolean
  default?: unknown
  'x-kubernetes-preserve-unknown-fields'?: boolean
  [k: string]: unknown
}

let embedded: Record<string, Schema> | undefined

/** `Kind/version` -> openAPIV3Schema of the CRDs this build embeds (aeraki-mesh/aeraki k8s/crd.yaml), read once. */
export function embeddedSchemas(): Readonly<Record<string, Schema>> {
  embedded ??= (JSON.parse(readFileSync(new URL('./crd-schemas.json', import.meta.url), 'utf8')) as {schemas: Record<string, Schema>}).schemas
  return embedded
}

/** Fields kept at the root whatever the schema says (ObjectMeta is checked by its own Go type, not here). */
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata'])

export interface Admission {
  /** The object as stored: nulls and unknown fields removed. */
  obj: KubeObject
  /** Paths of the nulls pruned (`spec.routes[0].match.attributes.tenant`). */
  nulls: string[]
  /** Paths of the unknown fields (`spec.localRateLimit.descriptors`). */
  unknown: string[]
}

function childSchema(s: Schema | undefined, key: string): Schema | undefined {
  if (!s) return undefined
  if (s.properties && key in s.properties) return s.properties[key]
  if (s.additionalProperties && typeof s.additionalProperties === 'object') return s.additionalProperties
  return undefined
}

/** Where the walk is: a chain up to the root, turned into text only for a field that is reported. */
type At = {up: At; key: string | number} | undefined

function pathText(at: At): string {
  const keys: Array<string | number> = []
  for (let a = at; a; a = a.up) keys.push(a.key)
  let path = ''
  for (const key of keys.reverse()) {
    path = typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : /^[A-Za-z_][\w-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
  }
  return path
}

/** prunenulls then unknown-field pruning, on a deep copy. `schema` is the version's openAPIV3Schema. */
export function admitObject(obj: KubeObject, schema: Schema): Admission {
  const nulls: string[] = []
  const unknown: string[] = []
  const walk = (x: unknown, s: Schema | undefined, at: At, root: boolean, preserve: boolean): unknown => {
    if (Array.isArray(x)) return x.map((v, i) => walk(v, s?.items, {up: at, key: i}, false, preserve || !!s?.items?.['x-kubernetes-preserve-unknown-fields']))
    if (x === null || typeof x !== 'object') return x
    const out: Record<string, unknown> = {}
    const keepUnknown = preserve || !!s?.['x-kubernetes-preserve-unknown-fields']
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
      if (root && ROOT_FIELDS.has(k)) {
        out[k] = v
        continue
      }
      const cs = childSchema(s, k)
      if (v === null && cs && !cs.nullable && cs.default === undefined) {
        nulls.push(pathText({up: at, key: k}))
        continue
      }
      if (!cs && s && !keepUnknown) {
        unknown.push(pathText({up: at, key: k}))
        continue
      }
      out[k] = walk(v, cs, {up: at, key: k}, false, keepUnknown && !cs)
    }
    return out
  }
  return {obj: walk(obj, schema, undefined, true, false) as KubeObject, nulls, unknown}
}

/** The schema the API server uses for this object: the served CRD's when known, else the embedded one. */
export function schemaFor(obj: KubeObject, served?: ReadonlyMap<string, Schema>): Schema | undefined {
  const version = (obj.apiVersion ?? '').split('/')[1] ?? ''
  const key = `${obj.kind}/${version}`
  return served?.get(key) ?? embeddedSchemas()[key]
}

/** The openAPIV3Schemas a CustomResourceDefinition object serves, as `Kind/version` keys. */
export function servedSchemasOf(crd: KubeObject): Array<[string, Schema]> {
  const kind = crd.spec?.names?.kind
  const versions = Array.isArray(crd.spec?.versions) ? crd.spec.versions : []
  const out: Array<[string, Schema]> = []
  for (const v of versions) {
    if (typeof kind === 'string' && v?.served !== false && v?.schema?.openAPIV3Schema) out.push([`${kind}/${v.name}`, v.schema.openAPIV3Schema])
  }
  return out
}

const admitted = new WeakMap<Loaded, {original: Loaded; findings: Finding[]}>()
const unchanged = new WeakMap<Loaded, {served: ReadonlyMap<string, Schema> | undefined}>()

/**
 * The object as the API server would store it, with a finding per unknown field (error: refused under kubectl's
 * default strict validation) and an info per pruned null. Idempotent: admitting an admitted object returns it.
 */
export function admit(l: Loaded, served?: ReadonlyMap<string, Schema>): Loaded {
  if (admitted.has(l)) return l
  // A world admits each MetaRouter when it is built and analysis asks again: an object with nothing to prune is
  // remembered (per map of served schemas), so the walk runs once.
  const clean = unchanged.get(l)
  if (clean && clean.served === served) return l
  const schema = schemaFor(l.obj, served)
  if (!schema) return l
  const a = admitObject(l.obj, schema)
  if (a.nulls.length === 0 && a.unknown.length === 0) {
    unchanged.set(l, {served})
    return l
  }
  const out: Loaded = {...l, obj: a.obj}
  const sink = new FindingSink(l)
  const servedNote = served?.has(`${l.obj.kind}/${(l.obj.apiVersion ?? '').split('/')[1] ?? ''}`) ? 'the CRD the cluster serves' : 'the MetaRouter CRD'
  for (const p of a.unknown) {
    const parent = p.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '')
    const left = parent === '' ? undefined : valueAt(a.obj, parent)
    const leftText = left === undefined ? '' : `; what is left of ${parent} after pruning: ${truncate(JSON.stringify(left))}`
    sink.add('API_UNKNOWN_FIELD', 'error', `unknown field "${p}": ${servedNote} has no such field and does not preserve unknown fields. With kubectl's default --validate=strict the API server refuses the object (strict decoding error: unknown field "${p}"); with --validate=warn it warns and drops the field, with --validate=false it drops it silently. The prediction is for the object as pruned${leftText}`, p)
  }
  for (const p of a.nulls) {
    sink.add('API_NULL_PRUNED', 'info', `${p} is null: the API server deletes non-nullable nulls before validation (prunenulls), so it is as if absent`, p)
  }
  admitted.set(out, {original: l, findings: sink.findings})
  return out
}

/** Findings made when the object was admitted (none for objects that needed no change). */
export function admissionFindings(l: Loaded): Finding[] {
  return admitted.get(l)?.findings ?? []
}

function valueAt(obj: unknown, path: string): unknown {
  let cur: any = obj
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    const key = m[1] ?? m[2] ?? JSON.parse(`"${m[3]}"`)
    if (cur === null || typeof cur !== 'object') return undefined
    cur = cur[key]
  }
  return cur
}

function truncate(s: string, max = 200): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}
