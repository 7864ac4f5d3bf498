// Canonical text of each route field, so expected and actual routes compare as the proxy would treat them:
// matcher order is irrelevant (Aeraki builds them from a Go map, so order varies between pushes), a weighted
// list with one cluster is a plain cluster, and mirror fractions compare per million.
import type {AttributeMatcher, KeyValue, RouteAction, RouteEntry} from '../routing/types.js'

export type RouteField = 'name' | 'matchers' | 'destination' | 'hashPolicy' | 'mirror' | 'requestMutation' | 'responseMutation'

export const ROUTE_FIELDS: readonly RouteField[] = ['name', 'matchers', 'destination', 'hashPolicy', 'mirror', 'requestMutation', 'responseMutation']

const OPERATOR: Record<AttributeMatcher['kind'], string> = {exact: '=', prefix: '^=', regex: '~=', present: '?'}

function matcherText(m: AttributeMatcher): string {
  return m.kind === 'present' ? `${m.name}?` : `${m.name}${OPERATOR[m.kind]}${m.value ?? ''}`
}

function destinationText(action: RouteAction): string {
  if (action.kind === 'cluster') return action.cluster
  if (action.clusters.length === 1) return action.clusters[0].name
  if (action.clusters.length === 0) return '(none)'
  return action.clusters.map((c) => `${c.name} weight ${c.weight}`).join(', ')
}

function pairsText(list: readonly KeyValue[]): string {
  return list.length === 0 ? '-' : list.map((kv) => `${kv.key}=${kv.value}`).join(', ')
}

export function fieldText(route: RouteEntry, field: RouteField): string {
  switch (field) {
    case 'name':
      return route.name === '' ? '(unnamed)' : route.name
    case 'matchers':
      return route.matchers.length === 0 ? '* (any request)' : route.matchers.map(matcherText).sort().join(' && ')
    case 'destination':
      return destinationText(route.action)
    case 'hashPolicy':
      return route.hashPolicy.length === 0 ? '-' : route.hashPolicy.join(', ')
    case 'mirror':
      return route.mirror ? `${route.mirror.cluster} ${route.mirror.numerator / 10_000}%` : '-'
    case 'requestMutation':
      return pairsText(route.requestMutation)
    case 'responseMutation':
      return pairsText(route.responseMutation)
  }
}
