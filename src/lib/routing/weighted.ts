// Envoy's WeightedClusterUtil::pickCluster as the MetaProtocol proxy calls it (spec §3.3): the per-request
// uint64 random value modulo the sum of weights, over cumulative intervals in configuration order.
import type {WeightedCluster} from './types.js'

export const UINT64_MAX = (1n << 64n) - 1n

export interface Pick {
  index: number
  cluster: string
  /** randomValue % total */
  selected: number
  /** [begin, end) of the chosen cluster's interval. */
  interval: [number, number]
}

export function totalWeight(clusters: ReadonlyArray<WeightedCluster>): number {
  let t = 0
  for (const c of clusters) t += c.weight
  return t
}

/** Returns undefined when the total is 0: the C++ is a modulo by zero there, which the caller reports. */
export function pickWeighted(clusters: ReadonlyArray<WeightedCluster>, randomValue: bigint): Pick | undefined {
  const total = totalWeight(clusters)
  if (total <= 0) return undefined
  const selected = Number(BigInt.asUintN(64, randomValue) % BigInt(total))
  return pickBySelected(clusters, selected)
}

/** Same pick for a value already reduced modulo the total (the hot path for sampling). */
export function pickBySelected(clusters: ReadonlyArray<WeightedCluster>, selected: number): Pick | undefined {
  let begin = 0
  for (let i = 0; i < clusters.length; i++) {
    const w = clusters[i].weight
    if (selected >= begin && selected < begin + w) return {index: i, cluster: clusters[i].name, selected, interval: [begin, begin + w]}
    begin += w
  }
  return undefined
}

/** Exact shares: weight / total (zero-weight clusters get 0). */
export function shares(clusters: ReadonlyArray<WeightedCluster>): number[] {
  const total = totalWeight(clusters)
  return clusters.map(c => (total > 0 ? c.weight / total : 0))
}

/** Parses a user-given random value as an unsigned 64-bit integer. */
export function parseUint64(text: string): bigint | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined
  const v = BigInt(text.trim())
  return v <= UINT64_MAX ? v : undefined
}
