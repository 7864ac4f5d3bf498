// Envoy's statistics as /stats/prometheus serves them (text exposition format 0.0.4), parsed into samples; a
// RE2 filter (C++ RE2, partial match) over the Envoy stat name or the Prometheus name; MetaProtocol counters listed first; deltas
// between two reads (--watch); and the observed split: requests per upstream cluster of one host/port, from the
// proxy's own cluster counters (envoy_cluster_upstream_rq_total{cluster_name="outbound|9090|v1|host"}).
import {re2PartialMatcher} from '../routing/regex.js'
import {InputError} from '../resources/errors.js'

export interface StatSample {
  /** Prometheus metric name, e.g. envoy_cluster_upstream_rq_total. */
  name: string
  labels: Record<string, string>
  value: number
  type?: string
}

/** Parses Prometheus text: `# TYPE` lines give types, comments are skipped, histograms kept as their series. */
export function parsePrometheus(text: string): StatSample[] {
  const types = new Map<string, string>()
  const out: StatSample[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    if (line.startsWith('#')) {
      const m = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line)
      if (m) types.set(m[1], m[2])
      continue
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line)
    if (!m) continue
    const labels: Record<string, string> = {}
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g
      for (let l = re.exec(m[3]); l; l = re.exec(m[3])) labels[l[1]] = l[2].replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c))
    }
    const value = Number(m[4])
    const base = m[1].replace(/_(bucket|sum|count)$/, '')
    out.push({name: m[1], labels, value, type: types.get(m[1]) ?? types.get(base)})
  }
  return out
}

/** The sample as one line of text, Prometheus style. */
export function sampleKey(s: StatSample): string {
  const l = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')
  return l ? `${s.name}{${l}}` : s.name
}

/** MetaProtocol Proxy stats are named meta_protocol.<stat_prefix>.… (Prometheus: envoy_meta_protocol_…). */
const META = /meta_?protocol/i

export function isMetaProtocol(s: StatSample): boolean {
  return META.test(s.name)
}

/** Compiles --match with RE2 semantics (never a backtracking JS RegExp on user input); a partial match, like grep. */
export function statMatcher(pattern: string | undefined): (s: StatSample) => boolean {
  if (pattern === undefined) return () => true
  let matches: (value: string) => boolean
  try {
    matches = re2PartialMatcher(pattern)
  } catch (e) {
    throw new InputError(`not a valid RE2 regular expression: ${(e as Error).message}`, '--match')
  }
  return (s) => matches(sampleKey(s))
}

/** MetaProtocol samples first, then the rest; each group by key. */
export function orderStats(samples: StatSample[]): StatSample[] {
  const key = (s: StatSample) => sampleKey(s)
  return [...samples].sort((a, b) => Number(isMetaProtocol(b)) - Number(isMetaProtocol(a)) || key(a).localeCompare(key(b)))
}

export interface StatDelta extends StatSample {
  delta: number
}

/** Per sample, the change since `before` (counters only; gauges show their change too). */
export function deltas(before: StatSample[], after: StatSample[]): StatDelta[] {
  const prev = new Map(before.map((s) => [sampleKey(s), s.value]))
  return after.map((s) => ({...s, delta: s.value - (prev.get(sampleKey(s)) ?? 0)}))
}

export interface ObservedArm {
  cluster: string
  subset: string
  requests: number
  share: number
}

export interface ObservedSplit {
  host: string
  port: number
  total: number
  arms: ObservedArm[]
}

const CLUSTER = /^outbound\|(\d+)\|([^|]*)\|(.+)$/

/**
 * Requests per subset cluster of each outbound host:port, from envoy_cluster_upstream_rq_total (or
 * envoy_cluster_upstream_cx_total when a codec counts no requests), e.g. v1 20 / v2 80.
 */
export function observedSplits(samples: StatSample[], counter = 'envoy_cluster_upstream_rq_total'): ObservedSplit[] {
  const groups = new Map<string, ObservedSplit>()
  for (const s of samples) {
    if (s.name !== counter) continue
    const m = CLUSTER.exec(s.labels.cluster_name ?? '')
    if (!m || !m[2]) continue
    const k = `${m[3]}:${m[1]}`
    let g = groups.get(k)
    if (!g) groups.set(k, (g = {host: m[3], port: Number(m[1]), total: 0, arms: []}))
    g.arms.push({cluster: s.labels.cluster_name, subset: m[2], requests: s.value, share: 0})
    g.total += s.value
  }
  for (const g of groups.values()) {
    for (const a of g.arms) a.share = g.total ? a.requests / g.total : 0
    g.arms.sort((a, b) => a.subset.localeCompare(b.subset))
  }
  return [...groups.values()].filter((g) => g.total > 0).sort((a, b) => `${a.host}:${a.port}`.localeCompare(`${b.host}:${b.port}`))
}

export interface ConfiguredRoute {
  host: string
  port: number
  route: string
  arms: Array<{subset: string; share: number}>
}

/** The split each MetaProtocol route of the proxy's own tables configures (cluster weights by subset). */
export function configuredSplits(tables: Array<{host: string; port: number; routes: Array<{name: string; action: {kind: 'cluster'; cluster: string} | {kind: 'weighted'; clusters: Array<{name: string; weight: number}>}}>}>): ConfiguredRoute[] {
  const out: ConfiguredRoute[] = []
  for (const t of tables) {
    for (const r of t.routes) {
      const clusters = r.action.kind === 'cluster' ? [{name: r.action.cluster, weight: 1}] : r.action.clusters
      const total = clusters.reduce((n, c) => n + c.weight, 0)
      out.push({host: t.host, port: t.port, route: r.name, arms: clusters.map((c) => ({subset: CLUSTER.exec(c.name)?.[2] || '(all)', share: total ? c.weight / total : 0}))})
    }
  }
  return out
}

export interface StatsReport {
  stats: Array<StatSample & {delta?: number}>
  observed: ObservedSplit[]
  configured: ConfiguredRoute[]
}

/** The samples --match keeps (MetaProtocol first), the observed split per host:port and the configured one. */
export function statsReport(samples: StatSample[], configured: ConfiguredRoute[], match: (s: StatSample) => boolean, before?: StatSample[]): StatsReport {
  const withDelta = before ? deltas(before, samples) : samples
  const counted = before ? deltas(before, samples).map((d) => ({...d, value: d.delta})) : samples
  const observed = observedSplits(counted)
  const hosts = new Set(observed.map((o) => `${o.host}:${o.port}`))
  return {
    stats: orderStats(withDelta.filter(match)),
    observed,
    configured: configured.filter((c) => hosts.has(`${c.host}:${c.port}`)),
  }
}
