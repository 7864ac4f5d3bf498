// One container's log stream through client-node's Log, kept alive: a stream cut by the server (or the
// network) is reopened with sinceTime and resumes exactly after the last line delivered; a failed request is
// explained by a follow-up call (client-node's Log drops the server's error body).
import type {KubeConfig} from '@kubernetes/client-node'
import {KubeError} from '../kube/errors.js'
import {LineSink} from './line-sink.js'
import type {Target} from './targets.js'
import {ResumeCursor, splitTimestamp, type StampedLine} from './timestamp.js'

export interface TailRequest {
  follow: boolean
  tailLines?: number
  sinceSeconds?: number
  sinceTime?: string
}

export type TailEnd =
  | {kind: 'finished'}
  /** The pod was deleted (or is being deleted). */
  | {kind: 'gone'}
  /** The container stopped running (it may come back with a new container ID). */
  | {kind: 'terminated'}
  | {kind: 'stopped'}
  | {kind: 'error'; error: KubeError}

export type ContainerState = 'running' | 'gone' | 'not-running'

export interface TailDeps {
  kc: KubeConfig
  /** Accepted lines in order; a returned promise holds the stream back. */
  onLines(target: Target, lines: StampedLine[]): void | Promise<void>
  note(text: string): void
  /** The real reason a log request failed (a follow-up call that keeps the server's message). */
  diagnose(target: Target): Promise<KubeError | undefined>
  /** Whether the container still runs, after its stream ended. */
  state(target: Target): Promise<ContainerState>
  retry?: {firstMs: number; maxMs: number; attemptsWithoutFollow: number}
  /** Waited for before each request (the session spreads many openings over event-loop turns). */
  beforeOpen?(): Promise<void>
}

/** Errors no retry mends (RBAC, credentials, TLS trust, a bad request): give up with the message instead. */
export const PERMANENT: ReadonlySet<string> = new Set(['forbidden', 'unauthorized', 'not-found', 'invalid', 'config', 'auth-plugin', 'tls'])

export class ContainerTail {
  readonly cursor = new ResumeCursor()
  private controller: AbortController | undefined
  private stopped = false
  /** What stop() cuts short: the current backoff sleep, or the opening of a stream. */
  private wake: (() => void) | undefined
  private linesSinceConnect = 0
  /** The cause last noted: a retry for the same cause is not announced again (one message per cause). */
  private lastCause: string | undefined

  constructor(readonly target: Target, private first: TailRequest, private deps: TailDeps) {}

  stop(): void {
    this.stopped = true
    this.controller?.abort()
    this.wake?.()
  }

  async run(): Promise<TailEnd> {
    const retry = this.deps.retry ?? {firstMs: 200, maxMs: 10_000, attemptsWithoutFollow: 3}
    let failures = 0
    for (;;) {
      if (this.stopped) return {kind: 'stopped'}
      const since = this.cursor.sinceTime()
      const request: TailRequest = since ? {follow: this.first.follow, sinceTime: since} : this.first
      if (since) this.cursor.beginResume()
      const sink = new LineSink({onLines: (lines) => this.accept(lines)})
      this.linesSinceConnect = 0
      try {
        await this.deps.beforeOpen?.()
        if (this.stopped) return {kind: 'stopped'}
        const controller = await this.openUnlessStopped(sink, request)
        if (!controller) return {kind: 'stopped'}
        this.controller = controller
      } catch {
        if (this.stopped) return {kind: 'stopped'}
        const error = await this.deps.diagnose(this.target)
        if (error?.kind === 'not-found' && error.status === 404) return {kind: 'gone'}
        if (error && PERMANENT.has(error.kind)) return {kind: 'error', error}
        failures++
        if (!this.first.follow && failures > retry.attemptsWithoutFollow) {
          return {kind: 'error', error: error ?? new KubeError('server', `cannot read the log of ${this.where()}`)}
        }
        const cause = error?.message ?? 'log request failed'
        if (cause !== this.lastCause) this.deps.note(`${this.where()}: ${cause}; retrying with backoff (up to every ${retry.maxMs / 1000}s)`)
        this.lastCause = cause
        await this.sleep(backoff(retry, failures))
        continue
      }
      const outcome = await sink.outcome
      if (this.stopped) return {kind: 'stopped'}
      if (this.linesSinceConnect > 0) {
        failures = 0
        this.lastCause = undefined
      }
      if (outcome.kind === 'end') {
        if (!request.follow) return {kind: 'finished'}
        const state = await this.deps.state(this.target).catch(() => 'running' as const)
        if (state === 'gone') return {kind: 'gone'}
        if (state === 'not-running') return {kind: 'terminated'}
        this.deps.note(`${this.where()}: the server ended the stream; resuming ${this.resumePoint()}`)
      } else {
        this.deps.note(`${this.where()}: stream cut (${outcome.reason}); resuming ${this.resumePoint()}`)
      }
      failures++
      await this.sleep(backoff(retry, failures - 1))
    }
  }

  private where(): string {
    return `${this.target.pod} › ${this.target.container}`
  }

  private resumePoint(): string {
    const at = this.cursor.position
    return at ? `after ${at}` : 'from the start of the request'
  }

  private accept(raw: string[]): void | Promise<void> {
    const lines: StampedLine[] = []
    for (const r of raw) {
      const l = splitTimestamp(r)
      if (this.cursor.accept(l.timestamp)) lines.push(l)
    }
    this.linesSinceConnect += lines.length
    return lines.length ? this.deps.onLines(this.target, lines) : undefined
  }

  /**
   * The request, or undefined once stop() is called: client-node hands out the stream's AbortController only when
   * the server has answered, and a server may hold its answer (a follow of an empty log, a slow API server) for as
   * long as it likes. A stream answered after stop() is aborted on arrival.
   */
  private async openUnlessStopped(sink: LineSink, r: TailRequest): Promise<AbortController | undefined> {
    const opening = this.open(sink, r)
    const stopped = new Promise<undefined>((resolve) => (this.wake = () => resolve(undefined)))
    try {
      const won = await Promise.race([opening, stopped])
      if (won && !this.stopped) return won
    } finally {
      this.wake = undefined
    }
    opening.then((c) => c.abort(), () => undefined)
    return undefined
  }

  private async open(sink: LineSink, r: TailRequest): Promise<AbortController> {
    const {Log} = await import('../kube/client-node-core.js')
    const {namespace, pod, container} = this.target
    return new Log(this.deps.kc).log(namespace, pod, container, sink, {
      follow: r.follow,
      timestamps: true,
      // client-node drops falsy options, so --tail 0 is passed as the string "0" (it is only stringified).
      ...(r.tailLines !== undefined ? {tailLines: (r.tailLines === 0 ? '0' : r.tailLines) as number} : {}),
      ...(r.sinceSeconds !== undefined ? {sinceSeconds: Math.max(1, r.sinceSeconds)} : {}),
      ...(r.sinceTime !== undefined ? {sinceTime: r.sinceTime} : {}),
    })
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve()
    return new Promise((resolve) => {
      const t = setTimeout(done, ms)
      function done() { clearTimeout(t); resolve() }
      this.wake = done
    })
  }
}

function backoff(r: {firstMs: number; maxMs: number}, attempt: number): number {
  return Math.min(r.maxMs, r.firstMs * 2 ** Math.max(0, attempt))
}
