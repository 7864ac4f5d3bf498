// Is the observed split consistent with the configured one? Pearson's chi-square goodness of fit over the
// versions the configuration can reach; an answer from a version configured at 0% is inconsistent outright.
import {goodnessOfFit} from './chi-square.js'

/**
 * Evidence needed to call a split inconsistent. Strict on purpose: the live footer tests again after every
 * request, and repeated looks at 1% would cry wolf far more often than 1% of the time.
 */
export const ALPHA = 0.001
/** The chi-square approximation wants about 5 expected answers per version. */
export const MIN_EXPECTED = 5

export type Verdict = 'consistent' | 'inconsistent' | 'too few requests' | 'no configured split'

export interface TestResult {
  verdict: Verdict
  n: number
  pValue: number | null
  statistic: number | null
  df: number | null
  /** Versions that answered although configured at 0%. */
  unexpected: string[]
}

export function testSplit(counts: Map<string, number>, configured: Map<string, number> | null): TestResult {
  const n = [...counts.values()].reduce((s, c) => s + c, 0)
  if (!configured || configured.size === 0) return {verdict: 'no configured split', n, pValue: null, statistic: null, df: null, unexpected: []}
  const unexpected = [...counts].filter(([v, c]) => c > 0 && !(configured.get(v)! > 0)).map(([v]) => v).sort()
  if (unexpected.length > 0) return {verdict: 'inconsistent', n, pValue: 0, statistic: null, df: null, unexpected}
  const reachable = [...configured].filter(([, share]) => share > 0).sort(([a], [b]) => a.localeCompare(b))
  const total = reachable.reduce((s, [, share]) => s + share, 0)
  const fit = goodnessOfFit(reachable.map(([v]) => counts.get(v) ?? 0), reachable.map(([, share]) => share / total))
  if (n === 0 || (fit.df > 0 && fit.minExpected < MIN_EXPECTED)) return {verdict: 'too few requests', n, pValue: n === 0 ? null : fit.pValue, statistic: n === 0 ? null : fit.statistic, df: fit.df, unexpected}
  return {verdict: fit.pValue >= ALPHA ? 'consistent' : 'inconsistent', n, pValue: fit.pValue, statistic: fit.statistic, df: fit.df, unexpected}
}
