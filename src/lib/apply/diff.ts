// A line diff of two YAML renderings (LCS; objects are small), in unified style without hunk headers.
import {dump} from 'js-yaml'
import type {KubeObject} from '../resources/types.js'

const SERVER_FIELDS = ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']

/** What a user wrote, without what the server adds, so live and desired compare like for like. */
export function comparable(obj: KubeObject | undefined): KubeObject | undefined {
  if (!obj) return undefined
  const copy = structuredClone(obj)
  delete copy.status
  if (copy.metadata) {
    for (const f of SERVER_FIELDS) delete copy.metadata[f]
    const ann = copy.metadata.annotations
    if (ann) {
      delete ann['kubectl.kubernetes.io/last-applied-configuration']
      if (Object.keys(ann).length === 0) delete copy.metadata.annotations
    }
  }
  return copy
}

/**
 * A Secret's `data` and `stringData` values, masked as `kubectl diff` does (kubernetes/kubectl,
 * pkg/cmd/diff/diff.go, Masker): a value that is the same before and after prints `***`, a changed one
 * `*** (before)` and `*** (after)`, so the diff still shows which keys change, never what they hold. Other kinds are
 * returned as they are; the inputs are not modified.
 */
export function maskSecretData<T extends KubeObject | undefined>(before: T, after: T): [T, T] {
  const isSecret = (o: KubeObject | undefined) => o?.kind === 'Secret' && (o.apiVersion ?? 'v1') === 'v1'
  if (!isSecret(before) && !isSecret(after)) return [before, after]
  const b = before ? structuredClone(before) as Record<string, any> : undefined
  const a = after ? structuredClone(after) as Record<string, any> : undefined
  for (const field of ['data', 'stringData']) {
    const from: Record<string, unknown> | undefined = b?.[field] && typeof b[field] === 'object' ? b[field] : undefined
    const to: Record<string, unknown> | undefined = a?.[field] && typeof a[field] === 'object' ? a[field] : undefined
    for (const k of Object.keys(to ?? {})) {
      if (from && k in from && from[k] !== to![k]) {
        from[k] = '*** (before)'
        to![k] = '*** (after)'
      } else {
        to![k] = '***'
        if (from && k in from) from[k] = '***'
      }
    }
    for (const k of Object.keys(from ?? {})) if (!to || !(k in to)) from![k] = '***'
  }
  return [b as T, a as T]
}

export function toYaml(obj: KubeObject | undefined): string {
  return obj ? dump(obj, {noRefs: true, sortKeys: true, lineWidth: 120}) : ''
}

export interface DiffLine {
  op: ' ' | '+' | '-'
  text: string
}

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n')
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n')
  const n = a.length
  const m = b.length
  const lcs: number[][] = Array.from({length: n + 1}, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({op: ' ', text: a[i]})
      i++
      j++
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({op: '-', text: a[i++]})
    else out.push({op: '+', text: b[j++]})
  }
  while (i < n) out.push({op: '-', text: a[i++]})
  while (j < m) out.push({op: '+', text: b[j++]})
  return out
}

export function hasChanges(lines: DiffLine[]): boolean {
  return lines.some(l => l.op !== ' ')
}

/**
 * The live object seen through the desired one: only the fields the desired object sets, so fields other managers
 * own (or the server defaults) do not show up as removals.
 */
export function projectOnto(live: unknown, desired: unknown): unknown {
  if (live === undefined) return undefined
  if (Array.isArray(desired)) return live
  if (desired && typeof desired === 'object' && live && typeof live === 'object' && !Array.isArray(live)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(desired as object)) if (k in (live as object)) out[k] = projectOnto((live as any)[k], (desired as any)[k])
    return out
  }
  return live
}
