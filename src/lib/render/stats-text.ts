// `sidecar stats` for people: the matching samples (MetaProtocol first), then per upstream host:port the split the
// proxy's own counters show next to the split its MetaProtocol routes configure.
import {renderTextTable} from '../dump/render/text-table.js'
import {sampleKey, type StatsReport} from '../mesh/envoy-stats.js'

const pct = (x: number) => `${Math.round(x * 100)}%`

export function renderStatsText(r: StatsReport, watching: boolean): string {
  const parts: string[] = []
  const columns = watching ? [{header: 'STAT'}, {header: 'VALUE', align: 'right' as const}, {header: 'DELTA', align: 'right' as const}] : [{header: 'STAT'}, {header: 'VALUE', align: 'right' as const}]
  const rows = r.stats.filter((s) => !watching || s.delta).map((s) => watching ? [sampleKey(s), String(s.value), `${s.delta! > 0 ? '+' : ''}${s.delta}`] : [sampleKey(s), String(s.value)])
  parts.push(rows.length ? `${renderTextTable(columns, rows)}\n` : watching ? 'no stat changed\n' : 'no stat matches\n')
  for (const o of r.observed) {
    const arms = o.arms.map((a) => `${a.subset} ${pct(a.share)}`).join(' / ')
    const conf = r.configured.filter((c) => c.host === o.host && c.port === o.port)
      .map((c) => `route ${c.route}: ${c.arms.map((a) => `${a.subset} ${pct(a.share)}`).join(' / ')}`)
    parts.push(`\nsplit to ${o.host}:${o.port}: ${arms} observed (${o.total} requests, upstream_rq_total per cluster)${conf.length ? `; configured ${conf.join('; ')}` : ''}\n`)
  }
  return parts.join('')
}
