// What the MetaProtocol proxy refuses when the RDS table arrives (spec §1.3d–e): any one of these NACKs the whole
// `<host>_<port>` table, so one bad route poisons every route of the service.
import {checkRe2} from '../routing/regex.js'
import {ISTIO_REGEX_PROGRAM_LIMIT, programSizeFindings, RATE_LIMIT_FILTER} from '../routing/regex-limit.js'
import {parseGoDuration} from '../routing/duration.js'
import {matchersOf} from '../routing/translate.js'
import type {Loaded, MetaRouterSpec} from '../resources/types.js'
import {FindingSink} from './findings.js'
import type {Finding} from '../resources/types.js'

const HEADER_VALUE_MAX = 16384
const MUTATIONS_MAX = 1000
const FORBIDDEN_CHARS = /[\0\r\n]/

/** `regexProgramLimit`: the proxy's re2.max_program_size.error_level (Istio sidecars: 32768). */
export function proxyNackFindings(loaded: Loaded, regexProgramLimit: number = ISTIO_REGEX_PROGRAM_LIMIT): Finding[] {
  const sink = new FindingSink(loaded)
  const spec = (loaded.obj.spec ?? {}) as MetaRouterSpec
  const routes = Array.isArray(spec.routes) ? spec.routes : []
  routes.forEach((r, i) => {
    const path = `spec.routes[${i}]`
    for (const m of matchersOf(r?.match?.attributes ?? undefined)) {
      const mp = `${path}.match.attributes.${m.name}`
      if (FORBIDDEN_CHARS.test(m.name)) sink.add('PROXY_NACK_ATTRIBUTE_NAME', 'error', `attribute name ${JSON.stringify(m.name)} contains NUL, CR or LF; the proxy rejects the table`, mp)
      if (m.kind === 'prefix' && m.value === '') {
        sink.add('PROXY_NACK_EMPTY_PREFIX', 'error', `prefix "" for attribute "${m.name}" passes the webhook but the proxy rejects the whole table (prefix_match needs at least 1 character); use exact: "" to test presence`, `${mp}.prefix`)
      }
      if (m.kind === 'regex') {
        const c = checkRe2(m.value ?? '')
        if (!c.ok) sink.add('PROXY_NACK_REGEX', 'error', `RE2 rejects regex "${m.value}": ${c.error}`, `${mp}.regex`)
        else for (const f of programSizeFindings(m.value ?? '', c.programSize, regexProgramLimit)) sink.add(f.code, f.severity, f.message, `${mp}.regex`)
      }
    }
    const dests = Array.isArray(r?.route) ? r!.route! : []
    if (dests.length === 0) sink.add('PROXY_NACK_NO_CLUSTER', 'error', 'a route without destinations has an empty weighted_clusters list; the proxy rejects the table', `${path}.route`)
    if (dests.length > 1 && dests.every(d => !Number(d?.weight))) {
      sink.add('PROXY_ZERO_TOTAL_WEIGHT', 'error', 'all weights are 0: proxies before 1.3 reject the table, later ones divide by zero on the first request', `${path}.route`)
    }
    for (const list of ['requestMutation', 'responseMutation'] as const) {
      const items = Array.isArray(r?.[list]) ? r![list]! : []
      if (items.length > MUTATIONS_MAX) sink.add('PROXY_NACK_MUTATION', 'error', `${items.length} ${list} entries, over the limit of ${MUTATIONS_MAX}`, `${path}.${list}`)
      items.forEach((kv, j) => {
        const p = `${path}.${list}[${j}]`
        const key = String(kv?.key ?? '')
        const value = String(kv?.value ?? '')
        if (FORBIDDEN_CHARS.test(key) || FORBIDDEN_CHARS.test(value)) sink.add('PROXY_NACK_MUTATION', 'error', `${list} "${key}" contains NUL, CR or LF`, p)
        if (Buffer.byteLength(key) > HEADER_VALUE_MAX || Buffer.byteLength(value) > HEADER_VALUE_MAX) sink.add('PROXY_NACK_MUTATION', 'error', `${list} "${key.slice(0, 40)}" is longer than ${HEADER_VALUE_MAX} bytes`, p)
      })
    }
  })
  localRateLimitFindings(sink, spec)
  rateLimitRegexFindings(sink, spec, regexProgramLimit)
  return sink.findings
}

/** Regexes of the rate-limit matches: compiled and size-checked like route matches (docs/re2.md). */
function rateLimitRegexFindings(sink: FindingSink, spec: MetaRouterSpec, limit: number): void {
  const matches: Array<[string, Parameters<typeof matchersOf>[0]]> = []
  ;(Array.isArray(spec.localRateLimit?.conditions) ? spec.localRateLimit!.conditions! : []).forEach((c, i) => matches.push([`spec.localRateLimit.conditions[${i}].match`, c?.match?.attributes ?? undefined]))
  if (spec.globalRateLimit?.match) matches.push(['spec.globalRateLimit.match', spec.globalRateLimit.match.attributes ?? undefined])
  for (const [path, attributes] of matches) {
    for (const m of matchersOf(attributes)) {
      if (m.kind !== 'regex') continue
      const p = `${path}.attributes.${m.name}.regex`
      const c = checkRe2(m.value ?? '')
      if (!c.ok) sink.add('RATELIMIT_NACK_REGEX', 'error', `RE2 rejects regex "${m.value}": ${c.error}; the proxy rejects ${RATE_LIMIT_FILTER.rejected}`, p)
      else for (const f of programSizeFindings(m.value ?? '', c.programSize, limit, p, RATE_LIMIT_FILTER)) sink.add(f.code, f.severity, f.message, p)
    }
  }
}

/** The local rate limiter's fill timer floor (meta-protocol-proxy local_ratelimit_impl.cc LocalRateLimiterImpl). */
export const MIN_FILL_INTERVAL_MS = 50

/**
 * The server-side inbound listener's local rate limit filter is refused (NACK) when a kept token bucket has a
 * fillInterval of 0 (envoy.type.v3.TokenBucket fill_interval `gt: 0`, checked by the filter factory's
 * MessageUtil::downcastAndValidate, meta-protocol-proxy filters/factory_base.h) or when the fill timer, the
 * smallest fill interval of the default bucket and the conditions, is under 50 ms (local_ratelimit_impl.cc throws
 * "local rate limit token bucket fill timer must be >= 50ms"). Aeraki drops conditions without a tokenBucket
 * (internal/plugin/metaprotocol/filters.go crd2Conditions). Intervals are whole milliseconds (PROTOBUF_GET_MS).
 */
function localRateLimitFindings(sink: FindingSink, spec: MetaRouterSpec): void {
  const l = spec.localRateLimit
  if (!l) return
  const buckets: Array<[string, {fillInterval?: string} | undefined]> = [['spec.localRateLimit.tokenBucket', l.tokenBucket]]
  ;(Array.isArray(l.conditions) ? l.conditions : []).forEach((c, i) => buckets.push([`spec.localRateLimit.conditions[${i}].tokenBucket`, c?.tokenBucket]))
  for (const [path, b] of buckets) {
    if (!b || b.fillInterval === undefined || b.fillInterval === null) continue
    const ms = parseGoDuration(String(b.fillInterval))
    if (ms === undefined) continue
    const whole = Math.floor(ms)
    if (whole < MIN_FILL_INTERVAL_MS) {
      const why = whole <= 0 ? 'a fill interval must be greater than 0' : `the fill timer (the smallest fill interval) must be >= ${MIN_FILL_INTERVAL_MS}ms`
      sink.add('LOCAL_RATELIMIT_FILL_INTERVAL', 'error', `fillInterval ${b.fillInterval}: ${why}, so the server's proxy rejects (NACKs) its inbound listener with the local rate limit filter; the sidecar keeps its previous listener`, `${path}.fillInterval`)
    }
  }
}
