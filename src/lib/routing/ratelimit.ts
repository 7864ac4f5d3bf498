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
  descriptor: Array<{key: string; value: string}>
  limit: {unit: string; requestsPerUnit: number} | null
}

export function globalPlanFor(
  spec: MetaRouterSpec['globalRateLimit'],
  view: ReadonlyMap<string, string>,
  properties: ReadonlyMap<string, string>,
  configs: ReadonlyArray<RateLimitServiceConfig>,
): GlobalLimiterPlan | null {
  if (!spec) return null
  const matchers = matchersOf(spec.match?.attributes ?? undefined)
  const descriptor = (spec.descriptors ?? []).map(d => ({key: String(d?.descriptorKey ?? ''), value: properties.get(String(d?.property ?? '')) ?? ''}))
  if (matchers.length === 0) return {decision: 'never', descriptor, limit: null}
  if (!matchers.every(m => evaluateMatcher(m, view).matched)) return {decision: 'never', descriptor, limit: null}
  const cfg = configs.find(c => c.domain === spec.domain)
  if (!cfg) return {decision: 'unknown-service-config', descriptor, limit: null}
  const limit = lookupLimit(cfg.descriptors, descriptor)
  return limit ? {decision: 'limited-by-service', descriptor, limit} : {decision: 'no-matching-descriptor', descriptor, limit: null}
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
