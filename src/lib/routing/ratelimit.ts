// Inbound rate limiting as the server-side proxy does it (spec §3.8–3.9), for a burst of identical requests.
import {parseGoDuration} from './duration.js'
import {evaluateMatcher} from './match.js'
import {matchersOf} from './translate.js'
import type {MetaRouterSpec, TokenBucket} from '../resources/types.js'
import type {RateLimitDescriptorConfig, RateLimitServiceConfig} from './world.js'

export interface LocalLimiterPlan {
  /** `conditions[i]`, `tokenBucket`, or null when nothing limits this request. */
  bucket: string | null
  capacity: number | null
  fillIntervalMs: number | null
}

/** First matching condition decides, with no fallback; else the default bucket; else unlimited. */
export function localBucketFor(spec: MetaRouterSpec['localRateLimit'], view: ReadonlyMap<string, string>): LocalLimiterPlan {
  if (!spec) return {bucket: null, capacity: null, fillIntervalMs: null}
  const conditions = Array.isArray(spec.conditions) ? spec.conditions : []
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i]
    if (!c?.tokenBucket) continue // Aeraki drops conditions without a bucket (crd2Conditions)
    const matchers = matchersOf(c.match?.attributes ?? undefined)
    if (matchers.every(m => evaluateMatcher(m, view).matched)) return plan(`conditions[${i}]`, c.tokenBucket)
  }
  if (spec.tokenBucket) return plan('tokenBucket', spec.tokenBucket)
  return {bucket: null, capacity: null, fillIntervalMs: null}
}

function plan(bucket: string, b: TokenBucket): LocalLimiterPlan {
  return {bucket, capacity: Math.max(0, Number(b.maxTokens ?? 0)), fillIntervalMs: parseGoDuration(String(b.fillInterval ?? '')) ?? null}
}

export interface GlobalLimiterPlan {
  /** 'never' when the match is empty (the proxy never calls the service) or fails. */
  decision: 'never' | 'limited-by-service' | 'no-matching-descriptor' | 'unknown-service-config'
  /** One entry per configured property, each sent as its own single-entry descriptor. */
  descriptor: Array<{key: string; value: string}>
  /** What the rate limit service does with each descriptor: its limit, or null when no rule matches it. */
  descriptors: Array<{entries: Array<{key: string; value: string}>; limit: {unit: string; requestsPerUnit: number} | null}>
  /** The tightest limit among the descriptors (the request is over limit when any descriptor is). */
  limit: {unit: string; requestsPerUnit: number} | null
}

/**
 * meta-protocol-proxy src/meta_protocol_proxy/filters/global_ratelimit/ratelimit.cc shouldRateLimit: no match
 * configured means never limited; else for every configured descriptor one RateLimitDescriptor with the single
 * entry {descriptorKey, getString(property)} is added to the request. The Envoy ratelimit service matches each
 * descriptor against its configuration independently and answers OVER_LIMIT when any one is over its limit.
 */
export function globalPlanFor(
  spec: MetaRouterSpec['globalRateLimit'],
  view: ReadonlyMap<string, string>,
  properties: ReadonlyMap<string, string>,
  configs: ReadonlyArray<RateLimitServiceConfig>,
): GlobalLimiterPlan | null {
  if (!spec) return null
  const matchers = matchersOf(spec.match?.attributes ?? undefined)
  const descriptor = (Array.isArray(spec.descriptors) ? spec.descriptors : []).map(d => ({key: String(d?.descriptorKey ?? ''), value: properties.get(String(d?.property ?? '')) ?? ''}))
  const unlooked = descriptor.map(e => ({entries: [e], limit: null}))
  if (matchers.length === 0) return {decision: 'never', descriptor, descriptors: unlooked, limit: null}
  if (!matchers.every(m => evaluateMatcher(m, view).matched)) return {decision: 'never', descriptor, descriptors: unlooked, limit: null}
  const cfg = configs.find(c => c.domain === spec.domain)
  if (!cfg) return {decision: 'unknown-service-config', descriptor, descriptors: unlooked, limit: null}
  const descriptors = descriptor.map(e => ({entries: [e], limit: lookupLimit(cfg.descriptors, [e])}))
  const limits = descriptors.flatMap(d => (d.limit ? [d.limit] : []))
  const limit = limits.length === 0 ? null : limits.reduce((a, b) => (b.requestsPerUnit < a.requestsPerUnit ? b : a))
  return {decision: limit ? 'limited-by-service' : 'no-matching-descriptor', descriptor, descriptors, limit}
}

/** Envoy ratelimit service lookup: per level a key+value entry wins over a key-only entry; the deepest level's limit applies. */
function lookupLimit(tree: ReadonlyArray<RateLimitDescriptorConfig>, entries: Array<{key: string; value: string}>): {unit: string; requestsPerUnit: number} | null {
  let level: ReadonlyArray<RateLimitDescriptorConfig> = tree
  let node: RateLimitDescriptorConfig | undefined
  for (const e of entries) {
    node = level.find(d => d.key === e.key && d.value === e.value) ?? level.find(d => d.key === e.key && (d.value === undefined || d.value === null))
    if (!node) return null
    level = Array.isArray(node.descriptors) ? node.descriptors : []
  }
  const rl = node?.rate_limit
  if (!rl) return null
  return {unit: String(rl.unit ?? 'second'), requestsPerUnit: Number(rl.requests_per_unit ?? 0)}
}
