// Envoy's pickCluster over uint64 random values, and the sampler's BigInt-free reduction.
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseUint64, pickWeighted, UINT64_MAX} from '../../../src/lib/routing/weighted.js'
import {sampleWeighted, sfc32} from '../../../src/lib/routing/sampling.js'

const arbClusters = fc.array(fc.integer({min: 0, max: 100}), {minLength: 1, maxLength: 6}).map(ws => ws.map((weight, i) => ({name: `c${i}`, weight})))

describe('weighted pick', () => {
  it('selects the cluster whose cumulative interval holds randomValue % total (brute force check)', () => {
    fc.assert(
      fc.property(arbClusters, fc.bigInt({min: 0n, max: UINT64_MAX}), (clusters, r) => {
        const total = clusters.reduce((a, c) => a + c.weight, 0)
        const p = pickWeighted(clusters, r)
        if (total === 0) {
          expect(p).toBeUndefined()
          return
        }
        const sel = Number(r % BigInt(total))
        // Expand every cluster into `weight` slots and index the slot list: the definition of the pick.
        const slots = clusters.flatMap(c => Array.from({length: c.weight}, () => c.name))
        expect(p!.cluster).toBe(slots[sel])
        expect(p!.selected).toBe(sel)
        expect(clusters[p!.index].weight).toBeGreaterThan(0) // zero weights are never chosen
      }),
      {numRuns: 1000},
    )
  })

  it('the seed tutorial split: 19 -> v1, 20 -> v2, and 2^64-1 -> 15 -> v1', () => {
    const split = [{name: 'v1', weight: 20}, {name: 'v2', weight: 80}]
    expect(pickWeighted(split, 19n)!.cluster).toBe('v1')
    expect(pickWeighted(split, 20n)!.cluster).toBe('v2')
    expect(pickWeighted(split, UINT64_MAX)!.selected).toBe(15)
  })

  it('parses only unsigned 64-bit integers', () => {
    expect(parseUint64('18446744073709551615')).toBe(UINT64_MAX)
    expect(parseUint64('18446744073709551616')).toBeUndefined()
    expect(parseUint64('-1')).toBeUndefined()
    expect(parseUint64('1e3')).toBeUndefined()
  })
})

describe('sampling', () => {
  it('reduces hi*2^32+lo modulo the total exactly as BigInt does', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 2 ** 32 - 1}), fc.integer({min: 0, max: 2 ** 32 - 1}), fc.integer({min: 1, max: 2 ** 20 - 1}), (hi, lo, t) => {
        const fast = ((hi % t) * (2 ** 32 % t) + lo) % t
        expect(fast).toBe(Number(((BigInt(hi) << 32n) + BigInt(lo)) % BigInt(t)))
      }),
      {numRuns: 2000},
    )
  })

  it('counts add up, follow the weights, and repeat with the same seed', () => {
    const split = [{name: 'v1', weight: 20}, {name: 'v2', weight: 80}, {name: 'never', weight: 0}]
    const a = sampleWeighted(split, 100_000, 42n)
    expect(a.counts.v1 + a.counts.v2).toBe(100_000)
    expect(a.counts.never).toBe(0)
    expect(Math.abs(a.counts.v1 / 100_000 - 0.2)).toBeLessThan(0.01)
    expect(sampleWeighted(split, 100_000, 42n)).toEqual(a)
    expect(sampleWeighted(split, 100_000, 43n)).not.toEqual(a)
  })

  it('sfc32 output looks uniform (chi-square over 16 buckets)', () => {
    const next = sfc32(1n)
    const buckets = new Array(16).fill(0)
    const n = 160_000
    for (let i = 0; i < n; i++) buckets[next() >>> 28]++
    const chi = buckets.reduce((a, b) => a + (b - n / 16) ** 2 / (n / 16), 0)
    expect(chi).toBeLessThan(37.7) // p = 0.001 for 15 degrees of freedom
  })
})
