// Route-by-route, field-by-field differences between the table Aeraki should push and the one a sidecar has.
// Routes are paired by name (the n-th route of a name with the n-th of the same name), then leftovers by
// position; position matters too, because the proxy takes the first route that matches.
import type {RouteEntry} from '../routing/types.js'
import {fieldText, ROUTE_FIELDS, type RouteField} from './fields.js'

export interface FieldDifference {
  field: RouteField
  expected: string
  actual: string
}

export type RouteDifference =
  | {kind: 'changed'; route: string; position: number; fields: FieldDifference[]}
  | {kind: 'only-expected'; route: string; position: number}
  | {kind: 'only-sidecar'; route: string; position: number}
  | {kind: 'moved'; route: string; expectedPosition: number; sidecarPosition: number}

function keyed(routes: readonly RouteEntry[]): Array<{key: string; route: RouteEntry; position: number}> {
  const seen = new Map<string, number>()
  return routes.map((route, position) => {
    const n = seen.get(route.name) ?? 0
    seen.set(route.name, n + 1)
    return {key: `${route.name}\u0000${n}`, route, position}
  })
}

function fieldDifferences(expected: RouteEntry, actual: RouteEntry): FieldDifference[] {
  const fields: FieldDifference[] = []
  for (const field of ROUTE_FIELDS) {
    const expectedText = fieldText(expected, field)
    const actualText = fieldText(actual, field)
    if (expectedText !== actualText) fields.push({field, expected: expectedText, actual: actualText})
  }
  return fields
}

export function diffRoutes(expected: readonly RouteEntry[], actual: readonly RouteEntry[]): RouteDifference[] {
  const exp = keyed(expected)
  const act = keyed(actual)
  const actByKey = new Map(act.map((a) => [a.key, a]))
  const expKeys = new Set(exp.map((e) => e.key))
  const out: RouteDifference[] = []
  // Positions among the routes both sides have, so one missing route does not flag every later one as moved.
  const commonExp = exp.filter((e) => actByKey.has(e.key))
  const commonAct = act.filter((a) => expKeys.has(a.key))
  const actRank = new Map(commonAct.map((a, i) => [a.key, i]))
  commonExp.forEach((e, rank) => {
    const a = actByKey.get(e.key)!
    if (actRank.get(e.key) !== rank) out.push({kind: 'moved', route: e.route.name, expectedPosition: e.position + 1, sidecarPosition: a.position + 1})
    const fields = fieldDifferences(e.route, a.route)
    if (fields.length > 0) out.push({kind: 'changed', route: e.route.name, position: e.position + 1, fields})
  })
  // Unpaired routes at the same position are most likely one route renamed (a MetaRouter edit): compare them.
  const lonelyAct = new Map(act.filter((a) => !expKeys.has(a.key)).map((a) => [a.position, a]))
  for (const e of exp) {
    if (actByKey.has(e.key)) continue
    const a = lonelyAct.get(e.position)
    if (a) {
      lonelyAct.delete(e.position)
      out.push({kind: 'changed', route: e.route.name, position: e.position + 1, fields: fieldDifferences(e.route, a.route)})
    } else out.push({kind: 'only-expected', route: e.route.name, position: e.position + 1})
  }
  for (const a of lonelyAct.values()) out.push({kind: 'only-sidecar', route: a.route.name, position: a.position + 1})
  return out
}
