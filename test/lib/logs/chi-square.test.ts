import {describe, expect, it} from 'vitest'
import {chiSquareCdf, chiSquareSurvival, goodnessOfFit, lnGamma, regularizedGammaP, regularizedGammaQ} from '../../../src/lib/logs/tally/chi-square.js'

describe('ln Γ', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 13)
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 11)
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13)
    expect(lnGamma(171)).toBeCloseTo(706.5730622457874, 8)
  })
})

describe('regularized incomplete gamma', () => {
  it('P(1, x) = 1 - e^-x and P + Q = 1 on both sides of a + 1', () => {
    for (const x of [0.01, 0.5, 1, 2, 5, 20]) expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 13)
    for (const [a, x] of [[0.5, 0.2], [3, 2], [3, 10], [50, 45], [50, 60]]) expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 13)
  })
})

describe('chi-square distribution', () => {
  const erfc = (z: number) => {
    // Complementary error function by its continued fraction (z > 0), precise enough to check df = 1.
    if (z < 2) return 1 - (2 / Math.sqrt(Math.PI)) * Array.from({length: 60}, (_, n) => ((-1) ** n * z ** (2 * n + 1)) / (factorial(n) * (2 * n + 1))).reduce((s, t) => s + t, 0)
    let f = 0
    for (let k = 60; k >= 1; k--) f = (k / 2) / (z + f)
    return Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f)
  }
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1))

  it('agrees with the closed forms for df = 1, 2 and 4, far into the tail', () => {
    for (const x of [0.1, 1, 3.84, 10, 30, 80]) {
      expect(chiSquareSurvival(x, 2) / Math.exp(-x / 2)).toBeCloseTo(1, 10)
      expect(chiSquareSurvival(x, 4) / (Math.exp(-x / 2) * (1 + x / 2))).toBeCloseTo(1, 10)
      expect(chiSquareSurvival(x, 1) / erfc(Math.sqrt(x / 2))).toBeCloseTo(1, 8)
    }
    expect(chiSquareSurvival(400, 4)).toBeCloseTo(Math.exp(-200) * 201, 95)
    expect(chiSquareSurvival(400, 4)).toBeGreaterThan(0)
  })

  it('gives the textbook critical values', () => {
    expect(chiSquareCdf(3.841458820694124, 1)).toBeCloseTo(0.95, 10)
    expect(chiSquareSurvival(6.6348966010212145, 1)).toBeCloseTo(0.01, 10)
    expect(chiSquareSurvival(11.070497693516351, 5)).toBeCloseTo(0.05, 10)
    expect(chiSquareSurvival(18.307038053275146, 10)).toBeCloseTo(0.05, 10)
    expect(chiSquareSurvival(43.77297182574219, 30)).toBeCloseTo(0.05, 9)
    expect(chiSquareSurvival(124.34211340400407, 100)).toBeCloseTo(0.05, 9)
    expect(chiSquareCdf(0, 3)).toBe(0)
    expect(chiSquareSurvival(0, 3)).toBe(1)
  })
})

describe('goodness of fit', () => {
  it('computes Pearson\'s statistic and its p-value', () => {
    // 84 / 316 against 20/80 of 400: expected 80 / 320; X² = 16/80 + 16/320 = 0.25, df 1.
    const g = goodnessOfFit([84, 316], [0.2, 0.8])
    expect(g.statistic).toBeCloseTo(0.25, 12)
    expect(g.df).toBe(1)
    expect(g.pValue).toBeCloseTo(0.6170750774519738, 9)
    // A fair die rolled 60 times: 5, 8, 9, 8, 10, 20 gives X² = 13.4 with 5 df, p ≈ 0.0199.
    const die = goodnessOfFit([5, 8, 9, 8, 10, 20], Array(6).fill(1 / 6))
    expect(die.statistic).toBeCloseTo(13.4, 10)
    expect(die.pValue).toBeCloseTo(0.019905220334774376, 8)
  })
})
