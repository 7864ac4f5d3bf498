// The MetaProtocol listeners table (config-dump.md §5.3): one row per MetaProtocol filter.

import type {MetaProtocolListener} from '../listeners.js'
import {renderTextTable, type TextTableOptions} from './text-table.js'

export function renderListenersTable(listeners: readonly MetaProtocolListener[], options: TextTableOptions = {}): string {
  // Warming/draining listeners are rare but matter when a push is in flight, so the column appears only then.
  const showState = listeners.some((l) => l.state === 'warming' || l.state === 'draining')
  const columns = [
    {header: 'LISTENER'},
    {header: 'ADDRESS'},
    {header: 'PORT', align: 'right' as const},
    {header: 'PROTOCOL'},
    {header: 'CODEC'},
    {header: 'ROUTE CONFIG (RDS)'},
    {header: 'RDS CLUSTER'},
    ...(showState ? [{header: 'STATE'}] : []),
  ]
  const rows = listeners.map((l) => [
    l.filterChain && l.destinationPort !== undefined ? `${l.name} (${l.destinationPort})` : l.name,
    l.address,
    String(l.port),
    l.applicationProtocol || '-',
    l.codec || '-',
    l.routeConfigSource === 'inline' ? `${l.routeConfigName} (inline)` : l.routeConfigName || '-',
    l.rdsCluster ?? '-',
    ...(showState ? [l.state] : []),
  ])
  return renderTextTable(columns, rows, options)
}
