// The MetaProtocol routes table: one row per route, weighted destinations one per line (config-dump.md §5.3).
// Match notation: `k=v` exact, `k^=v` prefix, `k~=v` RE2 full match, `k?` present, `*` when the route has no
// conditions (Aeraki's `default` route prints no `match`, §3.2).

import type {AttributeMatcher, KeyValue, MirrorPolicy, RouteAction, RouteTable} from '../../routing/types.js'
import {renderTextTable, type TextTableOptions} from './text-table.js'

export function formatMatchers(matchers: readonly AttributeMatcher[]): string {
  if (matchers.length === 0) return '*'
  return matchers
    .map((m) => {
      switch (m.kind) {
        case 'exact':
          return `${m.name}=${m.value ?? ''}`
        case 'prefix':
          return `${m.name}^=${m.value ?? ''}`
        case 'regex':
          return `${m.name}~=${m.value ?? ''}`
        case 'present':
          return `${m.name}?`
      }
    })
    .join(' && ')
}

function percent(part: number, total: number): string {
  if (total === 0) return '0%'
  const value = (part * 100) / total
  return `${Number.isInteger(value) ? value : value.toFixed(2).replace(/\.?0+$/, '')}%`
}

/** One line per destination; weights as a share of their sum, which is what the proxy uses (routing-semantics.md §3.3). */
export function formatDestination(action: RouteAction): string {
  if (action.kind === 'cluster') return action.cluster
  if (action.clusters.length === 0) return '(none)'
  const total = action.clusters.reduce((sum, c) => sum + c.weight, 0)
  return action.clusters.map((c) => `${c.name} ${percent(c.weight, total)}`).join('\n')
}

export function formatMirror(mirror: MirrorPolicy | null): string {
  return mirror ? `${mirror.cluster} ${percent(mirror.numerator, 1_000_000)}` : '-'
}

export function formatMutations(request: readonly KeyValue[], response: readonly KeyValue[]): string {
  const lines = [...request.map((kv) => `req ${kv.key}=${kv.value}`), ...response.map((kv) => `resp ${kv.key}=${kv.value}`)]
  return lines.length === 0 ? '-' : lines.join('\n')
}

export function renderRoutesTable(tables: readonly RouteTable[], options: TextTableOptions = {}): string {
  const columns = [
    {header: 'ROUTE CONFIG'},
    {header: 'ROUTE'},
    {header: 'MATCH'},
    {header: 'DESTINATION'},
    {header: 'MIRROR'},
    {header: 'MUTATION'},
    {header: 'VERSION'},
    {header: 'LAST UPDATE'},
  ]
  const rows: string[][] = []
  for (const table of tables) {
    const version = table.versionInfo ?? '-'
    const updated = table.lastUpdated ?? '-'
    if (table.routes.length === 0) rows.push([table.name, '(no routes)', '', '', '', '', version, updated])
    for (const route of table.routes) {
      rows.push([
        table.name,
        route.name || '-',
        formatMatchers(route.matchers),
        formatDestination(route.action),
        formatMirror(route.mirror),
        formatMutations(route.requestMutation, route.responseMutation),
        version,
        updated,
      ])
    }
  }
  return renderTextTable(columns, rows, options)
}
