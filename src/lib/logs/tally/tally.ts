// Counts of the server versions that answered the demo client, per configuration: when the configured split
// changes, the running segment is closed and counting starts again (the lines of the first `settleMs` are
// skipped while proxies receive the new routes).
import {describeConfigured, NO_VERSION, type ConfiguredSplit, type DemoRequest} from './configured.js'
import {answeringPod, isFailedRequest} from './observe.js'
import {testSplit, type TestResult} from './verdict.js'

export const UNKNOWN_POD = '(unknown pod)'

interface Segment {
  since: Date
  configured: ConfiguredSplit | null
  perPod: Map<string, number>
  failed: number
}

export interface TallyReport {
  since: string
  request: {host: string; attributes: Record<string, string>} | null
  configured: {metaRouter: string | null; route: string | null; versions: Record<string, number>; problem: string | null} | null
  observed: {n: number; failed: number; versions: Record<string, {count: number; share: number}>}
  test: TestResult
  text: string
}

/** How long answers are remembered with their arrival time, to take back those that came after a change. */
const RECENT_MS = 10_000
const FAILED = ''
/** Resolution of a Kubernetes object's managedFields time: one second. */
const CHANGE_TIME_PRECISION_MS = 1000

export class Tally {
  private closed: TallyReport[] = []
  private segment: Segment
  private versionOf = new Map<string, string>()
  private settleUntil = 0
  /** When the configuration in force was written (its MetaRouter's or DestinationRule's last change). */
  private inForceSince: number | undefined
  /** Answers whose log lines were written before that: counted apart, never against the configuration in force. */
  private earlier: Segment | undefined
  // Answers of the running segment by arrival time (oldest first, from index `recentHead`).
  private recent: Array<{at: number; pod: string}> = []
  private recentHead = 0

  /** `settleMs`: answers arriving this long after a change are not counted (proxies are still receiving routes). */
  constructor(readonly request: DemoRequest | undefined, private settleMs = 1000, now = new Date()) {
    this.segment = {since: now, configured: null, perPod: new Map(), failed: 0}
  }

  /** The time the configuration in force was last changed (managedFields time), for attributing backlog lines. */
  setInForceSince(ms: number | undefined): void {
    this.inForceSince = ms
  }

  /**
   * Counts one log line. `writtenAt` is the line's own (server) timestamp: a line written before the configuration
   * in force changed belongs to an earlier segment, whatever time it is read at (a --tail backlog).
   */
  observe(message: string, now = Date.now(), writtenAt?: number): void {
    if (writtenAt !== undefined && this.inForceSince !== undefined && writtenAt < this.inForceSince) {
      const pod = answeringPod(message)
      if (!pod && !isFailedRequest(message)) return
      this.earlier ??= {since: new Date(writtenAt), configured: null, perPod: new Map(), failed: 0}
      if (writtenAt < this.earlier.since.getTime()) this.earlier.since = new Date(writtenAt)
      if (pod) this.earlier.perPod.set(pod, (this.earlier.perPod.get(pod) ?? 0) + 1)
      else this.earlier.failed++
      return
    }
    // managedFields times are whole seconds (metav1.Time, RFC 3339): a line of that second may precede the change.
    if (writtenAt !== undefined && this.inForceSince !== undefined && writtenAt < this.inForceSince + CHANGE_TIME_PRECISION_MS) return
    if (now < this.settleUntil) return
    const pod = answeringPod(message)
    if (pod) this.segment.perPod.set(pod, (this.segment.perPod.get(pod) ?? 0) + 1)
    else if (isFailedRequest(message)) this.segment.failed++
    else return
    this.remember(now, pod ?? FAILED)
  }

  private remember(at: number, pod: string): void {
    this.recent.push({at, pod})
    while (this.recent[this.recentHead].at < at - RECENT_MS) this.recentHead++
    if (this.recentHead > 1024 && this.recentHead * 2 > this.recent.length) {
      this.recent = this.recent.slice(this.recentHead)
      this.recentHead = 0
    }
  }

  /** Takes answers that arrived at or after `since` out of the running segment (they may follow the new routes). */
  private forgetSince(since: number): void {
    for (let i = this.recent.length - 1; i >= this.recentHead && this.recent[i].at >= since; i--) {
      const {pod} = this.recent[i]
      if (pod === FAILED) this.segment.failed--
      else {
        const left = this.segment.perPod.get(pod)! - 1
        if (left > 0) this.segment.perPod.set(pod, left)
        else this.segment.perPod.delete(pod)
      }
    }
    this.recent = []
    this.recentHead = 0
  }

  /** Pod name -> version label; entries are kept after pods go away, so old answers still resolve. */
  learnPods(versions: Map<string, string>): void {
    for (const [pod, v] of versions) this.versionOf.set(pod, v)
  }

  /**
   * Returns the closed segment's report when the configuration changed (undefined for the first one or no
   * change). `changedAfter` is the last moment the old configuration was known to hold: answers that arrived
   * later are counted in neither segment.
   */
  setConfigured(split: ConfiguredSplit, changedAfter = Date.now(), now = new Date()): TallyReport | undefined {
    const before = this.segment.configured
    if (before?.fingerprint === split.fingerprint) return undefined
    if (!before) {
      this.segment.configured = split
      return undefined
    }
    this.forgetSince(changedAfter)
    const report = this.report()
    this.closed.push(report)
    this.segment = {since: now, configured: split, perPod: new Map(), failed: 0}
    this.settleUntil = now.getTime() + this.settleMs
    return report
  }

  /** Closed segments, oldest first; lines written before the configuration in force come first of all. */
  get previous(): readonly TallyReport[] {
    if (!this.earlier) return this.closed
    const current = this.segment
    this.segment = this.earlier
    try {
      const r = this.report()
      const before = this.inForceSince !== undefined ? new Date(this.inForceSince).toISOString() : '?'
      return [{...r, text: `written before the configuration in force (changed ${before}): ${r.text}`}, ...this.closed]
    } finally {
      this.segment = current
    }
  }

  get configured(): ConfiguredSplit | null {
    return this.segment.configured
  }

  report(): TallyReport {
    const counts = new Map<string, number>()
    for (const [pod, c] of this.segment.perPod) {
      const v = this.versionOf.get(pod) ?? UNKNOWN_POD
      counts.set(v, (counts.get(v) ?? 0) + c)
    }
    const cfg = this.segment.configured
    const configured = cfg ? new Map(cfg.versions.map((v) => [v.version, v.share])) : null
    const test = testSplit(counts, configured)
    const n = test.n
    const order = [...new Set([...counts.keys(), ...(cfg?.versions.map((v) => v.version) ?? [])])].sort(byVersion)
    const versions: TallyReport['observed']['versions'] = {}
    for (const v of order) if (counts.has(v)) versions[v] = {count: counts.get(v)!, share: n ? counts.get(v)! / n : 0}
    return {
      since: this.segment.since.toISOString(),
      request: this.request ? {host: this.request.host, attributes: Object.fromEntries(this.request.attributes)} : null,
      configured: cfg ? {metaRouter: cfg.metaRouter, route: cfg.route, versions: Object.fromEntries(cfg.versions.map((v) => [v.version, v.share])), problem: cfg.problem} : null,
      observed: {n, failed: this.segment.failed, versions},
      test,
      text: summaryText(order, counts, n, this.segment.failed, cfg, test),
    }
  }
}

// Real versions first (v1 < v2 < v10), placeholders last.
function byVersion(a: string, b: string): number {
  const pa = a.startsWith('('), pb = b.startsWith('(')
  if (pa !== pb) return pa ? 1 : -1
  return a.localeCompare(b, 'en', {numeric: true})
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`
}

/** "p=0.62", "p=0.004", "p<0.001". */
export function formatP(p: number): string {
  return p >= 0.01 ? `p=${p.toFixed(2)}` : p >= 0.001 ? `p=${p.toFixed(3)}` : 'p<0.001'
}

/** e.g. "v1 21% / v2 79% observed, 20/80 configured, consistent (p=0.62, n=400)". */
function summaryText(order: string[], counts: Map<string, number>, n: number, failed: number, cfg: ConfiguredSplit | null, test: TestResult): string {
  const observed = n === 0 ? 'no answers yet' : `${order.map((v) => `${v} ${pct((counts.get(v) ?? 0) / n)}`).join(' / ')} observed`
  const parts = [observed]
  if (cfg) parts.push(describeConfigured(cfg, order))
  else parts.push('configured split unknown')
  let verdict = ''
  if (test.verdict === 'inconsistent' && test.unexpected.length) verdict = `inconsistent: ${test.unexpected.join(', ')} answered but ${test.unexpected.length > 1 ? 'are' : 'is'} configured 0% (n=${n})`
  else if (test.verdict === 'consistent' || test.verdict === 'inconsistent') verdict = `${test.verdict} (${test.df ? `${formatP(test.pValue!)}, ` : ''}n=${n})`
  else if (test.verdict === 'too few requests' && n > 0) verdict = `too few requests to judge (n=${n})`
  let text = parts.join(', ') + (verdict ? `, ${verdict}` : '')
  if (failed > 0) text += `; ${failed} failed`
  return text
}

export {NO_VERSION}
