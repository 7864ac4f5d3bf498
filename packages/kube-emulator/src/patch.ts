// Patch semantics: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and a strategic merge patch
// that covers what `kubectl apply` sends (keyed lists, $patch, $setElementOrder, $retainKeys).
import {badRequest} from './status.js'

type Json = any

const isObj = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch)
  const out: Record<string, Json> = isObj(target) ? {...target} : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

// Merge keys of the list fields kubectl's strategic patches touch most.
const MERGE_KEYS: Record<string, string[]> = {
  containers: ['name'], initContainers: ['name'], ephemeralContainers: ['name'], env: ['name'], volumes: ['name'],
  volumeMounts: ['mountPath'], imagePullSecrets: ['name'], ports: ['containerPort', 'port'], conditions: ['type'],
  hostAliases: ['ip'], finalizers: [], ownerReferences: ['uid'], subsets: ['name'],
}

function mergeKeyFor(field: string, items: Json[]): string | undefined {
  const candidates = MERGE_KEYS[field]
  if (!candidates) return undefined
  return candidates.find((k) => items.every((i) => !isObj(i) || k in i))
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch)
  if (patch.$patch === 'replace') { const {$patch: _, ...rest} = patch; return structuredClone(rest) }
  if (patch.$patch === 'delete') return undefined
  const out: Record<string, Json> = isObj(target) ? {...target} : {}
  const retain: string[] | undefined = patch.$retainKeys
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue
    if (k.startsWith('$deleteFromPrimitiveList/')) continue
    if (v === null) { delete out[k]; continue }
    const order = patch[`$setElementOrder/${k}`]
    if (Array.isArray(v) && Array.isArray(out[k])) out[k] = mergeList(k, out[k], v, order)
    else if (Array.isArray(v)) out[k] = mergeList(k, [], v, order)
    else {
      const merged = strategicMergePatch(out[k], v)
      if (merged === undefined) delete out[k]
      else out[k] = merged
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    const m = k.match(/^\$deleteFromPrimitiveList\/(.+)$/)
    if (m && Array.isArray(out[m[1]]) && Array.isArray(v)) out[m[1]] = out[m[1]].filter((x: Json) => !v.includes(x))
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k]
  return out
}

function mergeList(field: string, live: Json[], patch: Json[], order?: Json[]): Json[] {
  const key = mergeKeyFor(field, [...live, ...patch])
  if (!key || !patch.every(isObj)) {
    if (patch.some((p) => isObj(p) && p.$patch === 'replace')) return patch.filter((p) => !(isObj(p) && p.$patch))
    return structuredClone(patch)
  }
  const out = live.map((x) => structuredClone(x))
  for (const p of patch) {
    const idx = out.findIndex((x) => isObj(x) && x[key] === p[key])
    if (p.$patch === 'delete') { if (idx >= 0) out.splice(idx, 1); continue }
    if (idx >= 0) out[idx] = strategicMergePatch(out[idx], p)
    else out.push(strategicMergePatch({}, p))
  }
  if (Array.isArray(order)) {
    const rank = (x: Json) => { const i = order.findIndex((o) => isObj(o) && o[key] === x[key]); return i < 0 ? order.length : i }
    out.sort((a, b) => rank(a) - rank(b))
  }
  return out
}

function pointer(path: string): string[] {
  if (path === '') return []
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer ${JSON.stringify(path)}`)
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations')
  let doc = structuredClone(target)
  for (const op of ops) {
    const segs = pointer(op.path)
    const parentOf = (d: Json, s: string[]) => s.slice(0, -1).reduce((c, k) => (c == null ? c : c[k]), d)
    if (op.op === 'test') {
      const cur = segs.reduce((c: Json, k) => (c == null ? c : c[k]), doc)
      if (JSON.stringify(cur) !== JSON.stringify(op.value)) throw new (class extends Error {})(`test failed at ${op.path}`)
      continue
    }
    if (segs.length === 0) { doc = structuredClone(op.value); continue }
    const parent = parentOf(doc, segs)
    const last = segs[segs.length - 1]
    if (parent == null) throw badRequest(`doc is missing path: "${op.path}"`)
    if (op.op === 'add' || op.op === 'replace') {
      if (Array.isArray(parent)) {
        const i = last === '-' ? parent.length : Number(last)
        if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value)); else parent[i] = structuredClone(op.value)
      } else {
        if (op.op === 'replace' && !(last in parent)) throw badRequest(`replace operation does not apply: doc is missing key: ${op.path}`)
        parent[last] = structuredClone(op.value)
      }
    } else if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1)
      else { if (!(last in parent)) throw badRequest(`remove operation does not apply: doc is missing path: "${op.path}"`); delete parent[last] }
    } else {
      throw badRequest(`unsupported json patch operation ${JSON.stringify(op.op)}`)
    }
  }
  return doc
}
