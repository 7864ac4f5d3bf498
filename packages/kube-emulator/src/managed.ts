// Field ownership for server-side apply: managedFields in FieldsV1 form, conflict detection,
// and removal of fields a manager stopped applying. Lists of objects with a `name` are keyed by it;
// other lists are atomic.
import type {KubeObject} from './types.js'
import {ApiError} from './status.js'

type Json = any
type Path = string[]
const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)
const keyed = (v: unknown): v is Array<Record<string, Json>> => Array.isArray(v) && v.length > 0 && v.every((x) => isObj(x) && typeof x.name === 'string')

export interface ManagedEntry {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time: string
  fieldsType: 'FieldsV1'
  fieldsV1: Record<string, Json>
  subresource?: string
}

/** The leaf paths of an object's user-owned fields (not status, not identity metadata). */
export function leafPaths(obj: KubeObject): Path[] {
  const out: Path[] = []
  const walk = (v: Json, path: Path) => {
    if (isObj(v) && Object.keys(v).length > 0) for (const [k, c] of Object.entries(v)) walk(c, [...path, `f:${k}`])
    else if (keyed(v)) for (const item of v) {
      const {name, ...rest} = item
      const p = [...path, `k:${JSON.stringify({name})}`]
      out.push([...p, 'f:name'])
      walk(rest, p)
    }
    else if (path.length > 0) out.push(path)
  }
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue
    if (k === 'metadata') {
      for (const mk of ['labels', 'annotations', 'finalizers', 'ownerReferences']) if ((v as any)?.[mk] !== undefined) walk((v as any)[mk], ['f:metadata', `f:${mk}`])
      continue
    }
    walk(v, [`f:${k}`])
  }
  return out
}

export function toFieldsV1(paths: Path[]): Record<string, Json> {
  const root: Record<string, Json> = {}
  for (const p of paths) {
    let cur = root
    for (const seg of p) cur = cur[seg] ??= {}
  }
  const dot = (n: Record<string, Json>, top: boolean) => {
    for (const [k, c] of Object.entries(n)) if (Object.keys(c).length > 0) { if (!top || k.startsWith('k:')) c['.'] = {}; dot(c, false) }
  }
  dot(root, true)
  return root
}

export function fromFieldsV1(f: Record<string, Json>): Path[] {
  const out: Path[] = []
  const walk = (n: Record<string, Json>, path: Path) => {
    const kids = Object.keys(n).filter((k) => k !== '.')
    if (kids.length === 0) { if (path.length) out.push(path); return }
    for (const k of kids) walk(n[k], [...path, k])
  }
  walk(f ?? {}, [])
  return out
}

const pk = (p: Path) => p.join('\u0000')

function step(v: Json, seg: string): Json {
  if (seg.startsWith('f:')) return isObj(v) ? v[seg.slice(2)] : undefined
  const want = JSON.parse(seg.slice(2))
  return Array.isArray(v) ? v.find((x) => isObj(x) && Object.entries(want).every(([k, w]) => x[k] === w)) : undefined
}

export function valueAt(obj: Json, path: Path): Json {
  return path.reduce(step, obj)
}

function removeAt(obj: Json, path: Path): void {
  const parent = valueAt(obj, path.slice(0, -1))
  const last = path[path.length - 1]
  if (last.startsWith('f:') && isObj(parent)) delete parent[last.slice(2)]
  else if (last.startsWith('k:') && path.length >= 2) {
    const list = valueAt(obj, path.slice(0, -1))
    if (Array.isArray(list)) { const el = step(list, last); if (el) list.splice(list.indexOf(el), 1) }
  }
}

const same = (a: Json, b: Json) => JSON.stringify(a) === JSON.stringify(b)

function applyMerge(live: Json, applied: Json): Json {
  if (isObj(live) && isObj(applied)) {
    const out: Record<string, Json> = {...live}
    for (const [k, v] of Object.entries(applied)) out[k] = applyMerge(live[k], v)
    return out
  }
  if (keyed(live) && keyed(applied)) {
    const out = live.map((x) => structuredClone(x))
    for (const a of applied) {
      const i = out.findIndex((x) => x.name === a.name)
      if (i >= 0) out[i] = applyMerge(out[i], a); else out.push(structuredClone(a))
    }
    return out
  }
  return structuredClone(applied)
}

export function entries(obj: KubeObject | undefined): ManagedEntry[] {
  return ((obj?.metadata as any)?.managedFields ?? []) as ManagedEntry[]
}

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined on create). Returns the new object
 * (without status changes) or throws a 409 with the conflicts.
 */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, manager: string, force: boolean, plural: string, group: string): KubeObject {
  const appliedPaths = leafPaths(applied)
  const appliedSet = new Set(appliedPaths.map(pk))
  const managers = entries(live)
  const conflicts: Array<{manager: string; apiVersion: string; path: Path}> = []
  const contested = new Set<string>()
  if (live) for (const e of managers) {
    if (e.manager === manager && e.operation === 'Apply') continue
    for (const p of fromFieldsV1(e.fieldsV1)) {
      if (!appliedSet.has(pk(p))) continue
      if (!same(valueAt(live, p), valueAt(applied, p))) { conflicts.push({manager: e.manager, apiVersion: e.apiVersion, path: p}); contested.add(pk(p)) }
    }
  }
  if (conflicts.length > 0 && !force) {
    const fmt = (p: Path) => p.map((s) => (s.startsWith('f:') ? `.${s.slice(2)}` : `[${s.slice(2).replace(/^\{"name":(.*)\}$/, 'name=$1')}]`)).join('')
    const lines = conflicts.map((c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${fmt(c.path)}`)
    const message = conflicts.length === 1 ? `Apply failed with 1 conflict: ${lines[0]}` : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`
    throw new ApiError(409, 'Conflict', message, {name: applied.metadata?.name, group: group || undefined, kind: plural, causes: conflicts.map((c, i) => ({reason: 'FieldManagerConflict', message: lines[i].split(':')[0], field: fmt(c.path)}))})
  }
  const base: KubeObject = live ? structuredClone(live) : {}
  const mine = managers.find((e) => e.manager === manager && e.operation === 'Apply')
  if (mine) {
    const othersOwn = new Set(managers.filter((e) => e !== mine).flatMap((e) => fromFieldsV1(e.fieldsV1).map(pk)))
    const removed = fromFieldsV1(mine.fieldsV1).filter((p) => !appliedSet.has(pk(p)) && !othersOwn.has(pk(p)))
    // Maps and lists left empty by the removal go too, unless still applied or owned by someone.
    const prefixesOf = (paths: Path[]) => new Set(paths.flatMap((p) => p.map((_, i) => pk(p.slice(0, i + 1)))))
    const keep = new Set([...prefixesOf(appliedPaths), ...prefixesOf([...othersOwn].map((k) => k.split('\u0000')))])
    const prune = (paths: Path[]) => {
      for (const p of paths) {
        for (let i = p.length - 1; i >= 1; i--) {
          const prefix = p.slice(0, i)
          const v = valueAt(base, prefix)
          if (v === undefined) continue // already removed with its item
          const empty = (isObj(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0)
          if (!empty || keep.has(pk(prefix))) break
          removeAt(base, prefix)
        }
      }
    }
    // Key fields (`name` of a keyed item) go last: the item is found by them, and goes when nothing else is left.
    const isKeyField = (p: Path) => p.length >= 2 && p[p.length - 1] === 'f:name' && p[p.length - 2].startsWith('k:')
    const fields = removed.filter((x) => !isKeyField(x)), keys = removed.filter(isKeyField)
    for (const p of fields) removeAt(base, p)
    prune(fields)
    for (const p of keys) {
      const item = valueAt(base, p.slice(0, -1))
      if (isObj(item) && Object.keys(item).every((k) => k === 'name')) removeAt(base, p.slice(0, -1))
    }
    prune(keys)
  }
  const {metadata: am, ...appliedRest} = applied
  const merged = applyMerge(base, appliedRest) as KubeObject
  merged.metadata = {...(base.metadata ?? {}), ...(am?.name ? {name: am.name} : {}), ...(am?.namespace ? {namespace: am.namespace} : {})}
  for (const mk of ['labels', 'annotations']) {
    if ((am as any)?.[mk]) (merged.metadata as any)[mk] = applyMerge((base.metadata as any)?.[mk] ?? {}, (am as any)[mk])
  }
  if (am?.finalizers) merged.metadata.finalizers = am.finalizers
  if (am?.ownerReferences) merged.metadata.ownerReferences = am.ownerReferences
  if (am?.generateName && !live) merged.metadata.generateName = am.generateName
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const next: ManagedEntry[] = []
  for (const e of managers) {
    if (e.manager === manager && e.operation === 'Apply') continue
    const kept = fromFieldsV1(e.fieldsV1).filter((p) => !contested.has(pk(p)) && valueAt(merged, p) !== undefined)
    if (kept.length) next.push({...e, fieldsV1: toFieldsV1(kept)})
  }
  next.push({manager, operation: 'Apply', apiVersion: applied.apiVersion ?? '', time: now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(appliedPaths)})
  ;(merged.metadata as any).managedFields = next
  return merged
}

/** Records an Update-operation manager after create/update/patch: it owns what it changed. */
export function recordUpdate(old: KubeObject | undefined, updated: KubeObject, manager: string, subresource?: string): void {
  const oldPaths = new Set(old ? leafPaths(old).map((p) => `${pk(p)}=${JSON.stringify(valueAt(old, p))}`) : [])
  const changed = leafPaths(updated).filter((p) => !oldPaths.has(`${pk(p)}=${JSON.stringify(valueAt(updated, p))}`))
  const changedSet = new Set(changed.map(pk))
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const next: ManagedEntry[] = []
  let own: Path[] = changed
  for (const e of entries(old)) {
    const kept = fromFieldsV1(e.fieldsV1).filter((p) => !changedSet.has(pk(p)) && valueAt(updated, p) !== undefined)
    if (e.manager === manager && e.operation === 'Update' && e.subresource === subresource) { own = [...kept, ...changed]; continue }
    if (kept.length) next.push({...e, fieldsV1: toFieldsV1(kept)})
  }
  if (own.length) next.push({manager, operation: 'Update', apiVersion: updated.apiVersion ?? '', time: now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(own), ...(subresource ? {subresource} : {})})
  ;(updated.metadata as any).managedFields = next
}
