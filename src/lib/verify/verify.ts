// Compares the route tables Aeraki should push with those a sidecar holds, table by table:
// in-sync, different (route by route), stale (different, and the sidecar's copy is older than the last change
// of the objects it comes from), missing (not in the sidecar), extra (in the sidecar, produced by no object).
import type {RouteTable} from '../routing/types.js'
import {diffRoutes, type RouteDifference} from './diff.js'
import type {ExpectedTable, SourceObject} from './expected.js'

export type TableStatus = 'in-sync' | 'different' | 'stale' | 'missing' | 'extra'

export interface SidecarVersion {
  versionInfo?: string
  lastUpdated?: string
}

export interface TableVerdict {
  name: string
  status: TableStatus
  /** Whether this verdict makes the check fail (extras do not when the objects given are only part of the mesh). */
  failing: boolean
  sidecar?: SidecarVersion & {routes: number}
  expected?: {routes: number; sources: SourceObject[]}
  differences: RouteDifference[]
}

export interface VerifyOptions {
  /** The objects are everything Aeraki sees (read from the cluster), so a table no object produces is a failure. */
  complete: boolean
}

export interface VerifyReport {
  inSync: boolean
  counts: Record<TableStatus, number>
  tables: TableVerdict[]
}

/** When the sidecar got its copy: last_updated, else version_info as Aeraki's Unix seconds. */
export function sidecarTime(v: SidecarVersion): number | undefined {
  if (v.lastUpdated && !Number.isNaN(Date.parse(v.lastUpdated))) return Date.parse(v.lastUpdated)
  if (v.versionInfo && /^\d{9,11}$/.test(v.versionInfo)) return Number(v.versionInfo) * 1000
  return undefined
}

function latestChange(sources: readonly SourceObject[]): number | undefined {
  const times = sources.map((s) => (s.changedAt ? Date.parse(s.changedAt) : NaN)).filter((t) => !Number.isNaN(t))
  return times.length === 0 ? undefined : Math.max(...times)
}

function versionOf(t: RouteTable): SidecarVersion & {routes: number} {
  const v: SidecarVersion & {routes: number} = {routes: t.routes.length}
  if (t.versionInfo !== undefined) v.versionInfo = t.versionInfo
  if (t.lastUpdated !== undefined) v.lastUpdated = t.lastUpdated
  return v
}

export function verifyRouteTables(expected: readonly ExpectedTable[], actual: readonly RouteTable[], options: VerifyOptions): VerifyReport {
  const actualByName = new Map<string, RouteTable>()
  for (const t of actual) if (!actualByName.has(t.name)) actualByName.set(t.name, t)
  const expectedNames = new Set(expected.map((e) => e.table.name))
  const tables: TableVerdict[] = []
  for (const e of expected) {
    const a = actualByName.get(e.table.name)
    const exp = {routes: e.table.routes.length, sources: e.sources}
    if (!a) {
      tables.push({name: e.table.name, status: 'missing', failing: true, expected: exp, differences: []})
      continue
    }
    const differences = diffRoutes(e.table.routes, a.routes)
    const sidecar = versionOf(a)
    let status: TableStatus = 'in-sync'
    if (differences.length > 0) {
      const got = sidecarTime(sidecar)
      const changed = latestChange(e.sources)
      status = got !== undefined && changed !== undefined && got < changed ? 'stale' : 'different'
    }
    tables.push({name: e.table.name, status, failing: status !== 'in-sync', sidecar, expected: exp, differences})
  }
  for (const a of actual) {
    if (expectedNames.has(a.name)) continue
    tables.push({name: a.name, status: 'extra', failing: options.complete, sidecar: versionOf(a), differences: []})
  }
  const counts: Record<TableStatus, number> = {'in-sync': 0, different: 0, stale: 0, missing: 0, extra: 0}
  for (const t of tables) counts[t.status]++
  return {inSync: tables.every((t) => !t.failing), counts, tables}
}
