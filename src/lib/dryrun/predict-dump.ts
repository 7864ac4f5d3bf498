// Prediction from what a proxy really holds: the MetaProtocol route tables of a config dump instead of tables
// translated from CRDs. Cluster existence is exact here: the dump lists every cluster the sidecar has.
import {InputError} from '../resources/errors.js'
import {requestView} from '../routing/match.js'
import type {RouteTable} from '../routing/types.js'
import {tableRegexFindings} from '../routing/regex-limit.js'
import {dedupeFindings} from '../validate/findings.js'
import {basePrediction, routeOnce, type Prediction, type PredictQuery} from './predict.js'
import {DEFAULT_DEMO_HOST, DEMO_ALIASES} from './resolve.js'

export interface DumpTables {
  tables: RouteTable[]
  /** The dump's cluster names; null when the dump has no clusters section (existence unknown, not missing). */
  clusters: string[] | null
  /** Route config name -> codec, from the MetaProtocol listeners. */
  codecs: Record<string, string>
  origin: string
  /** The proxy's re2.max_program_size.error_level: regexes near or over it are reported. */
  regexProgramLimit?: number
}

export function resolveTable(tables: RouteTable[], hostAsked: string | undefined, port: number | undefined): RouteTable {
  let host = hostAsked
  if (tables.length === 0) throw new InputError('the config dump has no MetaProtocol route tables (no aeraki RoutesConfigDump section, or it is empty): is this an Aeraki sidecar with a MetaProtocol service?')
  let candidates = tables
  const alias = host ? DEMO_ALIASES[host] : undefined
  if (alias && tables.some(t => t.host === alias)) host = alias
  if (!host && port === undefined && tables.length > 1 && tables.some(t => t.host === DEFAULT_DEMO_HOST)) host = DEFAULT_DEMO_HOST
  if (host) {
    const labels = host.split('.')
    candidates = tables.filter(t => t.host === host || t.host.split('.').some((_, i, all) => labels.every((l, j) => all[i + j] === l)))
    if (candidates.length === 0) throw new InputError(`no route table for "${host}" in the config dump; tables: ${tables.map(t => t.name).join(', ')}`, '--host')
  }
  if (port !== undefined) {
    candidates = candidates.filter(t => t.port === port)
    if (candidates.length === 0) throw new InputError(`no route table for port ${port}; tables: ${tables.map(t => t.name).join(', ')}`, '--port')
  }
  if (candidates.length > 1) {
    throw new InputError(`several route tables match; choose one with --host/--port: ${candidates.map(t => t.name).join(', ')}`, host ? '--host' : '--host')
  }
  return candidates[0]
}

export function predictFromDump(src: DumpTables, query: PredictQuery): Prediction {
  const table = resolveTable(src.tables, query.host, query.port)
  const known = src.clusters === null ? null : new Set(src.clusters)
  const exists = (name: string) => (known === null ? null : known.has(name))
  const view = requestView(query.attributes, table.applicationProtocol)
  const routed = routeOnce(exists, table, view, query)
  const findings = [...routed.findings]
  if (src.regexProgramLimit !== undefined) findings.push(...tableRegexFindings(table, src.regexProgramLimit))
  if (known === null) findings.push({code: 'CLUSTERS_NOT_IN_DUMP', severity: 'info', message: 'the dump has no clusters section: whether the picked clusters exist is not in this dump'})
  if (!table.applicationProtocol) findings.push({code: 'APPLICATION_PROTOCOL_UNKNOWN', severity: 'warning', message: `no MetaProtocol listener in the dump references ${table.name}, so the x-meta-protocol-application-protocol attribute is unknown (taken as "")`})
  const base = basePrediction({host: table.host, port: table.port, applicationProtocol: table.applicationProtocol, codec: src.codecs[table.name] ?? null}, [])
  return {...base, routeConfig: table.name, table, ...routed.fields, findings: dedupeFindings(findings)}
}
