// Pearson's chi-square goodness-of-fit test. The p-value is the upper tail of the chi-square distribution,
// Q(df/2, x/2), the regularized upper incomplete gamma function (series below a+1, continued fraction above).

const EPS = 1e-15
const MAX_ITER = 10_000

/** ln Γ(z) for z > 0 (Lanczos, g=7, n=9: about 15 significant digits). */
export function lnGamma(z: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - lnGamma(1 - z)
  const x = z - 1
  let a = c[0]
  const t = x + 7.5
  for (let i = 1; i < 9; i++) a += c[i] / (x + i)
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a)
}

/** P(a, x) = γ(a, x) / Γ(a), the regularized lower incomplete gamma function. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN
  if (x === 0) return 0
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x)
}

/** Q(a, x) = 1 - P(a, x), computed directly in the tail so small p-values keep their precision. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN
  if (x === 0) return 1
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x)
}

function lowerSeries(a: number, x: number): number {
  let sum = 1 / a
  let term = sum
  for (let n = 1; n < MAX_ITER; n++) {
    term *= x / (a + n)
    sum += term
    if (Math.abs(term) < Math.abs(sum) * EPS) break
  }
  return sum * Math.exp(-x + a * Math.log(x) - lnGamma(a))
}

// Modified Lentz evaluation of the continued fraction for Q(a, x).
function upperContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300
  let b = x + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPS) break
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h
}

/** The chi-square CDF with `df` degrees of freedom. */
export function chiSquareCdf(x: number, df: number): number {
  return x <= 0 ? 0 : regularizedGammaP(df / 2, x / 2)
}

/** P(X >= x) for X ~ chi-square(df): the p-value of a statistic x. */
export function chiSquareSurvival(x: number, df: number): number {
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2)
}

export interface GoodnessOfFit {
  statistic: number
  df: number
  pValue: number
  /** Smallest expected count: the approximation needs about 5 or more in every category. */
  minExpected: number
}

/** Observed counts against expected shares (which sum to 1); categories with a zero share must be handled by the caller. */
export function goodnessOfFit(observed: number[], shares: number[]): GoodnessOfFit {
  const n = observed.reduce((s, o) => s + o, 0)
  let statistic = 0
  let minExpected = Infinity
  for (let i = 0; i < observed.length; i++) {
    const e = n * shares[i]
    minExpected = Math.min(minExpected, e)
    statistic += (observed[i] - e) ** 2 / e
  }
  const df = observed.length - 1
  return {statistic, df, pValue: df > 0 ? chiSquareSurvival(statistic, df) : 1, minExpected}
}
