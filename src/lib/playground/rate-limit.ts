// Local rate limiting as the server pod's inbound MetaProtocol proxy applies it (routing-semantics §3.8): one set
// of token buckets per server pod, starting full, refilled by tokensPerFill every fillInterval, reset whenever the
// MetaRouter changes (Aeraki re-pushes the filter).
import type {KubeObject, MetaRouterSpec, TokenBucket} from '../resources/types.js'
import {requestView} from '../routing/match.js'
import {localBucketFor, type GlobalLimiterPlan} from '../routing/ratelimit.js'

interface Bucket {tokens: number; lastFill: number}

export interface LimitDecision {
  allowed: boolean
  /** `conditions[i]` or `tokenBucket` when a bucket applied. */
  bucket?: string
}

function tokenBucketOf(spec: MetaRouterSpec['localRateLimit'], id: string): TokenBucket | undefined {
  const m = /^conditions\[(\d+)\]$/.exec(id)
  return m ? spec?.conditions?.[Number(m[1])]?.tokenBucket : spec?.tokenBucket
}

export class LocalRateLimits {
  private buckets = new Map<string, Bucket>()

  take(server: KubeObject, metaRouter: KubeObject | undefined, attributes: Array<[string, string]>, protocol: string, now = Date.now()): LimitDecision {
    const spec = (metaRouter?.spec as MetaRouterSpec | undefined)?.localRateLimit
    const hasSidecar = ((server.spec as any)?.containers ?? []).some((c: any) => c.name === 'istio-proxy')
    if (!spec || !hasSidecar) return {allowed: true}
    const plan = localBucketFor(spec, requestView(attributes, protocol))
    if (plan.bucket === null) return {allowed: true}
    const tb = tokenBucketOf(spec, plan.bucket)
    const capacity = plan.capacity ?? 0
    const interval = plan.fillIntervalMs ?? Infinity
    const perFill = Math.max(0, Number(tb?.tokensPerFill ?? 1))
    const key = `${server.metadata?.uid}|${metaRouter!.metadata?.uid}@${metaRouter!.metadata?.resourceVersion}|${plan.bucket}`
    let b = this.buckets.get(key)
    if (!b) { b = {tokens: capacity, lastFill: now}; this.buckets.set(key, b) }
    if (Number.isFinite(interval) && interval > 0 && now - b.lastFill >= interval) {
      const fills = Math.floor((now - b.lastFill) / interval)
      b.tokens = Math.min(capacity, b.tokens + fills * perFill)
      b.lastFill += fills * interval
    }
    if (b.tokens <= 0) return {allowed: false, bucket: plan.bucket}
    b.tokens--
    return {allowed: true, bucket: plan.bucket}
  }
}

const UNIT_MS: Record<string, number> = {second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000}

/**
 * The Envoy ratelimit service the demo deploys: fixed windows aligned to the unit (as its Redis backend counts),
 * shared by every server pod, keyed by domain and descriptor.
 */
export class GlobalRateLimits {
  private windows = new Map<string, {window: number; count: number}>()

  take(domain: string, plan: GlobalLimiterPlan, now = Date.now()): boolean {
    if (plan.decision !== 'limited-by-service' || !plan.limit) return true
    const unit = UNIT_MS[plan.limit.unit.toLowerCase()] ?? UNIT_MS.second
    const window = Math.floor(now / unit)
    const key = `${domain}|${plan.descriptor.map((d) => `${d.key}=${d.value}`).join(',')}|${plan.limit.unit}`
    let w = this.windows.get(key)
    if (!w || w.window !== window) { w = {window, count: 0}; this.windows.set(key, w) }
    if (w.count >= plan.limit.requestsPerUnit) return false
    w.count++
    return true
  }
}
