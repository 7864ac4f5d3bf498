// The RE2 program-size limit a MetaProtocol proxy runs with, and what a regex's size means against it.
// Envoy rejects a config whose regex has RE2::ProgramSize() > the runtime value re2.max_program_size.error_level
// (envoyproxy/envoy source/common/common/regex.cc CompiledGoogleReMatcher; Envoy's own default is 100), and Istio's
// pilot-agent bootstraps every sidecar and gateway with "re2.max_program_size.error_level": "32768" in the
// layered runtime's static layer (istio/istio pkg/bootstrap/config.go, since Istio 1.14; ProxyConfig runtimeValues
// can change it). Aeraki's MetaProtocol proxy is that sidecar.
import type {Finding} from '../resources/types.js'
import {compileRe2} from './regex.js'
import type {RouteTable} from './types.js'

/** What an Istio-bootstrapped sidecar (so Aeraki's MetaProtocol proxy) runs with. */
export const ISTIO_REGEX_PROGRAM_LIMIT = 32768
/** A bare Envoy's default. */
export const ENVOY_REGEX_PROGRAM_LIMIT = 100
export const RUNTIME_KEY = 're2.max_program_size.error_level'

/** The share of the limit from which a regex is reported as close to it. */
const NEAR = 0.9

/**
 * The limit from a config dump's bootstrap (`layered_runtime.layers[].static_layer`, later layers winning; a static
 * layer may spell the key flat or as nested objects). Undefined when the dump has no bootstrap or no such key
 * (then Envoy's default of 100 applies to that proxy, which the caller should say).
 */
export function regexProgramLimitFromBootstrap(bootstrap: unknown): number | undefined {
  const layers = field(field(bootstrap, 'layered_runtime'), 'layers')
  if (!Array.isArray(layers)) return undefined
  let limit: number | undefined
  for (const layer of layers) {
    const stat = field(layer, 'static_layer')
    if (stat === undefined) continue
    const flat = field(stat, RUNTIME_KEY)
    const nested = RUNTIME_KEY.split('.').reduce<unknown>((o, k) => field(o, k), stat)
    const value = flat ?? nested
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : undefined
    if (n !== undefined && Number.isSafeInteger(n)) limit = n
  }
  return limit
}

/**
 * The limit of the proxy whose config dump this is. A bootstrap without the key means Envoy's own default (100); a
 * dump without a bootstrap section says nothing, so Istio's default is assumed.
 */
export function regexProgramLimitOfDump(dump: {configs: unknown[]}): {limit: number; from: 'bootstrap' | 'envoy-default' | 'istio-default'} {
  for (const entry of dump.configs) {
    const type = field(entry, '@type')
    if (typeof type === 'string' && type.endsWith('.BootstrapConfigDump')) {
      const limit = regexProgramLimitFromBootstrap(field(entry, 'bootstrap'))
      return limit === undefined ? {limit: ENVOY_REGEX_PROGRAM_LIMIT, from: 'envoy-default'} : {limit, from: 'bootstrap'}
    }
  }
  return {limit: ISTIO_REGEX_PROGRAM_LIMIT, from: 'istio-default'}
}

/** Program-size findings for the regex matchers of a route table (as a proxy holds it, e.g. from a dump). */
export function tableRegexFindings(table: RouteTable, limit: number): Finding[] {
  const out: Finding[] = []
  table.routes.forEach((r, i) => {
    for (const m of r.matchers) {
      if (m.kind !== 'regex') continue
      const re = compileRe2(m.value ?? '')
      if (re.ok) out.push(...programSizeFindings(m.value ?? '', re.programSize, limit, `routes[${i}].match.${m.name}`))
    }
  })
  return out
}

/** What a regex over the limit (or one RE2 rejects) takes down with it. */
export interface RegexRejection {
  code: string
  rejected: string
}
export const ROUTE_TABLE: RegexRejection = {code: 'PROXY_NACK_REGEX_PROGRAM_SIZE', rejected: 'the whole route table'}
/**
 * Rate-limit matches are built by the same Http::HeaderUtility::buildHeaderDataVector as route matches, but live in
 * the MetaProtocol filter's rate limit config: a bad regex there rejects the listener carrying that filter.
 */
export const RATE_LIMIT_FILTER: RegexRejection = {code: 'RATELIMIT_NACK_REGEX_PROGRAM_SIZE', rejected: 'the listener carrying the rate limit filter (the sidecar keeps its previous listener)'}

/**
 * The findings for one regex of size `programSize` against `limit`: over it the proxy rejects the whole table
 * (an error, code PROXY_NACK_REGEX_PROGRAM_SIZE); within 10% below it, a warning that a small edit tips it over.
 */
export function programSizeFindings(pattern: string, programSize: number, limit: number, path?: string, over: RegexRejection = ROUTE_TABLE): Finding[] {
  const where = path === undefined ? {} : {path}
  if (programSize > limit) {
    return [{code: over.code, severity: 'error', message: `regex "${clip(pattern)}" compiles to an RE2 program of ${programSize} instructions, over the proxy's limit of ${limit} (${RUNTIME_KEY}); the proxy rejects ${over.rejected}`, ...where}]
  }
  if (programSize >= limit * NEAR) {
    return [{code: 'REGEX_PROGRAM_SIZE_NEAR_LIMIT', severity: 'warning', message: `regex "${clip(pattern)}" compiles to an RE2 program of ${programSize} instructions, within 10% of the proxy's limit of ${limit} (${RUNTIME_KEY})`, ...where}]
  }
  return []
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}

function field(o: unknown, key: string): unknown {
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined
}
