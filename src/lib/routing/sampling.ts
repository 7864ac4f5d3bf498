// --samples: draws N uniform uint64 values and counts which cluster each picks, in constant memory.
// Only `value % total` matters, so a value is drawn as two 32-bit halves and reduced without BigInt:
// (hi * 2^32 + lo) mod t == ((hi mod t) * (2^32 mod t) + lo) mod t, exact in doubles for totals below 2^20.
import {pickBySelected, totalWeight} from './weighted.js'
import type {WeightedCluster} from './types.js'

/** sfc32: a small, fast, well-tested 32-bit generator; two outputs make one uint64. */
export function sfc32(seed: bigint): () => number {
  let a = Number(seed & 0xffffffffn) | 0
  let b = Number((seed >> 32n) & 0xffffffffn) | 0
  let c = 0x9e3779b9 | 0
  let d = 1
  const next = () => {
    a |= 0; b |= 0; c |= 0; d |= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return t >>> 0
  }
  for (let i = 0; i < 12; i++) next() // let the seed diffuse
  return next
}

export interface SampleCounts {
  n: number
  counts: Record<string, number>
}

export function sampleWeighted(clusters: ReadonlyArray<WeightedCluster>, n: number, seed: bigint): SampleCounts {
  const counts: Record<string, number> = {}
  for (const c of clusters) counts[c.name] = 0
  const total = totalWeight(clusters)
  if (total <= 0 || n <= 0) return {n: Math.max(0, n), counts}
  if (total >= 2 ** 20) throw new Error(`total weight ${total} is too large to sample`)
  const next = sfc32(seed)
  const twoTo32ModT = 2 ** 32 % total
  // Per-cluster tallies in a typed array; names are attached at the end (no per-sample allocation).
  const tally = new Float64Array(clusters.length)
  const slotOf = new Int32Array(total)
  for (let s = 0; s < total; s++) slotOf[s] = pickBySelected(clusters, s)!.index
  for (let i = 0; i < n; i++) {
    const hi = next()
    const lo = next()
    const selected = ((hi % total) * twoTo32ModT + lo) % total
    tally[slotOf[selected]]++
  }
  clusters.forEach((c, i) => (counts[c.name] = (counts[c.name] ?? 0) + tally[i]))
  return {n, counts}
}
