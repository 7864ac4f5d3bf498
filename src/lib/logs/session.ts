// app-log as a library call: find the pods, tail their containers (all at once with -f, in pod order without),
// follow pods that appear or go away, and feed every line to the formatter and, with --tally, to the tally.
import type {V1Pod} from '@kubernetes/client-node'
import type {ClusterConnection} from '../cluster/connect.js'
import {KubeError} from '../kube/errors.js'
import {InputError} from '../resources/errors.js'
import {ExitCode} from '../cli/exit-codes.js'
import {palette} from '../render/style.js'
import {ContainerTail, type TailEnd, type TailRequest} from './container-tail.js'
import {LineFormatter, lineFilter} from './format.js'
import type {AppLogOptions} from './options.js'
import {OrderedWriter} from './ordered-writer.js'
import type {Output} from './output.js'
import {PodCalls} from './pod-calls.js'
import {PodWatcher, type PodEvent} from './pod-watch.js'
import {resourceSelector} from '../kube/pods.js'
import {noPodMessage} from '../kube/pod-target.js'
import {chooseContainers, containerNames, missingContainerMessage, podMatcher, runningContainerId, type ContainerChoice, type PodMatcher, type Target} from './targets.js'
import type {StampedLine} from './timestamp.js'
import {ConfigSource} from './tally/config-source.js'
import {demoRequestFor} from './tally/configured.js'
import {Tally} from './tally/tally.js'
import {byName} from '../kube/order.js'

export interface SessionResult {
  exitCode: number
  tally?: Tally
}

interface Entry {
  target: Target
  tail?: ContainerTail
  running: boolean
}

const FATAL = new Set(['forbidden', 'unauthorized', 'tls', 'auth-plugin', 'config'])

/** Log requests started per event-loop turn (see turnGate). */
const OPENS_PER_TURN = 8

export class AppLogSession {
  private calls: PodCalls
  private matcher: PodMatcher
  private formatter: LineFormatter
  private filter: ((m: string) => boolean) | undefined
  private tally: Tally | undefined
  private config: ConfigSource | undefined
  private entries = new Map<string, Entry>()
  private queue: Array<{entry: Entry; first: TailRequest}> = []
  private active = 0
  private waits = new Set<Promise<void>>()
  private notedErrors = new Set<string>()
  private exitCode = 0
  private finish!: () => void
  private finished = new Promise<void>((resolve) => (this.finish = resolve))
  private closing = false
  private openGate = turnGate(OPENS_PER_TURN)

  constructor(private conn: ClusterConnection, private o: AppLogOptions, private out: Output) {
    this.calls = new PodCalls(conn)
    this.matcher = podMatcher(o.app, o.selector)
    const multi = o.containers.kind === 'named' && o.containers.names.length > 1
    this.formatter = new LineFormatter({format: o.output, timestamps: o.timestamps, showContainer: multi, showNamespace: o.namespaces !== undefined, chalk: palette(o.color)})
    this.filter = lineFilter(o.include, o.exclude)
  }

  async run(signal: AbortSignal): Promise<SessionResult> {
    await this.resolveResourceQuery()
    const lists = await Promise.all(this.scopes().map(async (scope) => ({scope, ...await this.calls.list(scope, this.o.selector)})))
    const pods = lists.flatMap((l) => l.pods)
    const picked = new Set(this.matcher.pick(pods.map((p) => p.metadata!.name!)))
    const matched = pods.filter((p) => picked.has(p.metadata!.name!))
      .sort((a, b) => byName(a.metadata!.namespace ?? '', b.metadata!.namespace ?? '') || byName(a.metadata!.name!, b.metadata!.name!))
    if (matched.length === 0 && !this.o.follow) throw new KubeError('not-found', this.noPod(pods), 404)
    const targets = this.initialTargets(matched)
    if (this.o.tally) await this.startTally(matched)
    const onAbort = () => this.finish()
    // Ctrl-C during the list (or the tally's first read) came before this listener: it is not fired again.
    if (signal.aborted) this.finish()
    signal.addEventListener('abort', onAbort, {once: true})
    try {
      if (this.o.follow) await this.followAll(matched, targets, lists)
      else await this.readAll(targets, signal)
    } finally {
      signal.removeEventListener('abort', onAbort)
      this.config?.stop()
      this.out.clearFooter()
      await this.out.flushed()
    }
    return {exitCode: this.exitCode, tally: this.tally}
  }

  /** The namespaces to list and watch: undefined stands for every namespace (-A). */
  private scopes(): Array<string | undefined> {
    const n = this.o.namespaces
    return n === 'all' ? [undefined] : n ?? [this.o.namespace]
  }

  /** Where the pods were looked for, for messages. */
  private where(): string {
    const n = this.o.namespaces
    return n === 'all' ? 'any namespace' : n ? `namespaces ${n.join(', ')}` : `namespace ${this.o.namespace}`
  }

  private noPod(pods: V1Pod[]): string {
    if (!this.o.namespaces) return noPodMessage(this.o.namespace, this.matcher.describe, pods.map((p) => p.metadata!.name!))
    const names = pods.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`).sort()
    const there = names.length ? `pods there: ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length} in all)` : ''}` : 'there are no pods'
    return `no pod in ${this.where()} matches ${this.matcher.describe}; ${there}`
  }

  // deploy/NAME and the like: the resource's selector (with -l, both must hold) replaces the name match.
  private async resolveResourceQuery(): Promise<void> {
    const q = this.matcher.target
    if (q?.by !== 'resource') return
    const selector = await resourceSelector(this.conn.kube, this.o.namespace, q)
    this.o = {...this.o, selector: this.o.selector ? `${selector},${this.o.selector}` : selector}
    this.matcher = {...this.matcher, describe: `${this.matcher.describe} (selector ${selector})`}
  }

  private initialTargets(matched: V1Pod[]): Target[] {
    const targets: Target[] = []
    const without: V1Pod[] = []
    for (const pod of matched) {
      const names = chooseContainers(pod, this.o.containers)
      if (names.length === 0) without.push(pod)
      for (const c of names) targets.push({namespace: this.namespaceOf(pod), pod: pod.metadata!.name!, container: c, containerId: runningContainerId(pod, c)})
    }
    if (matched.length > 0 && targets.length === 0) throw new KubeError('not-found', missingContainerMessage(matched, this.o.containers, this.o.namespaces ? this.where().replace(/^namespaces? /, '') : this.o.namespace), 404)
    for (const pod of without) this.out.note(`${this.o.namespaces ? `${this.namespaceOf(pod)}/` : ''}${pod.metadata!.name}: ${lacking(this.o.containers)} (it has ${containerNames(pod).join(', ')}); skipped`)
    if (matched.length === 0) this.out.note(`no pod in ${this.where()} matches ${this.matcher.describe} yet; waiting for one to appear`)
    return targets
  }

  private namespaceOf(pod: V1Pod): string {
    return pod.metadata?.namespace ?? this.o.namespace
  }

  private async startTally(matched: V1Pod[]): Promise<void> {
    const request = demoRequestFor(matched.map((p) => p.metadata!.name!), this.o.namespace)
    this.tally = new Tally(request)
    if (!request) this.out.note(`tally: ${this.matcher.describe} is not a demo client (thrift-sample-client, dubbo-sample-consumer); counting answers without a configured split`)
    this.config = new ConfigSource(this.conn, request, this.tally, (c) => {
      this.out.note(`tally: the configuration changed (now ${c.describe}); counting again. Before: ${c.before.text}`)
    }, (t) => this.out.note(t), this.o.namespace)
    await this.config.refresh()
  }

  // ---- without -f: every log once, printed in pod order -------------------------------------------------

  private async readAll(targets: Target[], signal: AbortSignal): Promise<void> {
    const writer = new OrderedWriter(this.out, targets.length)
    let next = 0
    const worker = async () => {
      while (next < targets.length && !signal.aborted) {
        const i = next++
        const tail = new ContainerTail(targets[i], this.firstRequest(), this.tailDeps((t, lines) => this.emit(t, lines, (text) => writer.write(i, text))))
        const stop = () => tail.stop()
        signal.addEventListener('abort', stop, {once: true})
        const end = await tail.run()
        signal.removeEventListener('abort', stop)
        this.reportEnd(targets[i], end, false)
        await writer.finish(i)
      }
    }
    await Promise.all(Array.from({length: Math.min(this.o.maxLogRequests, targets.length)}, worker))
  }

  // ---- with -f: all streams at once, pods watched ---------------------------------------------------------

  private async followAll(matched: V1Pod[], targets: Target[], lists: Array<{scope: string | undefined; resourceVersion?: string}>): Promise<void> {
    if (targets.length > this.o.maxLogRequests) {
      throw new InputError(`${targets.length} log streams would be followed but at most ${this.o.maxLogRequests} are allowed; raise --max-log-requests or narrow the query (APP, -l, -c)`, '--max-log-requests')
    }
    this.config?.start(this.o.configPollMs ?? 2000)
    // Containers not running yet are started by the watch once they run, from their start.
    for (const t of targets) if (t.containerId) this.track(t, this.firstRequest())
    // One watch per namespace listed (one for all of them with -A), each from its list's resourceVersion.
    const watchers = lists.map(({scope, resourceVersion}) => {
      const w = new PodWatcher(this.conn.kc, this.calls, scope, this.o.selector, (type, pod) => this.onPod(type, pod), (t) => this.out.note(t),
        (error) => this.fail(error, true))
      w.start(scope === undefined ? matched : matched.filter((p) => this.namespaceOf(p) === scope), resourceVersion)
      return w
    })
    await this.finished
    this.closing = true
    for (const w of watchers) w.stop()
    this.queue = []
    for (const e of this.entries.values()) e.tail?.stop()
    while (this.waits.size) await Promise.all([...this.waits])
  }

  private onPod(type: PodEvent, pod: V1Pod): void {
    const name = pod.metadata!.name!
    const namespace = this.namespaceOf(pod)
    if (!this.matcher.matches(name)) return
    if (type === 'DELETED' || pod.metadata?.deletionTimestamp) {
      for (const [k, e] of this.entries) {
        if (e.target.pod !== name || e.target.namespace !== namespace) continue
        this.entries.delete(k)
        this.queue = this.queue.filter((q) => q.entry !== e)
        if (e.running) { e.tail?.stop(); this.out.note(this.formatter.event('-', name, e.target.container, namespace)) }
      }
      return
    }
    for (const c of chooseContainers(pod, this.o.containers)) {
      const id = runningContainerId(pod, c)
      if (!id) continue
      const target = {namespace, pod: name, container: c, containerId: id}
      const existing = this.entries.get(key(target))
      if (existing && existing.target.containerId === id) continue
      existing?.tail?.stop()
      // A pod that appears (or a container that restarts) is tailed from its start.
      this.track(target, {follow: true})
    }
  }

  private track(target: Target, first: TailRequest): void {
    // After Ctrl-C nothing new is opened: followAll is stopping the streams there are.
    if (this.closing) return
    const entry: Entry = {target, running: false}
    this.entries.set(key(target), entry)
    if (this.active >= this.o.maxLogRequests) {
      this.queue.push({entry, first})
      this.out.note(`${target.pod} › ${target.container}: waiting, ${this.active} streams are open (--max-log-requests ${this.o.maxLogRequests})`)
      return
    }
    this.launch(entry, first)
  }

  private launch(entry: Entry, first: TailRequest): void {
    const tail = new ContainerTail(entry.target, first, this.tailDeps((t, lines) => this.emit(t, lines, (text) => this.out.write(text))))
    entry.tail = tail
    entry.running = true
    this.active++
    this.out.note(this.formatter.event('+', entry.target.pod, entry.target.container, entry.target.namespace))
    const wait = tail.run().then((end) => {
      this.active--
      entry.running = false
      if (this.entries.get(key(entry.target)) === entry && end.kind !== 'stopped') {
        this.reportEnd(entry.target, end, true)
        if (end.kind === 'gone') this.entries.delete(key(entry.target))
      }
      const queued = this.queue.shift()
      if (queued && !this.closing && this.entries.get(key(queued.entry.target)) === queued.entry) this.launch(queued.entry, queued.first)
    }).finally(() => this.waits.delete(wait))
    this.waits.add(wait)
  }

  // ---- shared ------------------------------------------------------------------------------------------

  private firstRequest(): TailRequest {
    return {follow: this.o.follow, tailLines: this.o.tailLines, sinceSeconds: this.o.sinceSeconds, sinceTime: this.o.sinceTime}
  }

  private tailDeps(onLines: (t: Target, lines: StampedLine[]) => void | Promise<void>) {
    return {
      kc: this.conn.kc,
      beforeOpen: this.openGate,
      onLines,
      note: (text: string) => this.out.note(text),
      diagnose: (t: Target) => this.calls.diagnose(t),
      state: (t: Target) => this.calls.state(t),
    }
  }

  private emit(t: Target, lines: StampedLine[], write: (text: string) => Promise<void> | undefined): Promise<void> | undefined {
    let text = ''
    for (const l of lines) {
      this.tally?.observe(l.message, Date.now(), l.timestamp ? Date.parse(l.timestamp) : undefined)
      if (this.filter && !this.filter(l.message)) continue
      text += this.formatter.format({pod: t.pod, container: t.container, namespace: t.namespace, timestamp: l.timestamp, message: l.message})
    }
    if (this.tally && this.o.footer) this.out.setFooter(() => `tally: ${this.tally!.report().text}`)
    return text ? write(text) : undefined
  }

  /** An error is said once; one no retry mends (see FATAL) ends a followed session (exit 4). */
  private fail(error: KubeError, following: boolean): void {
    this.exitCode = ExitCode.CLUSTER
    if (!this.notedErrors.has(error.message)) this.out.note(`Error: ${error.message}`)
    this.notedErrors.add(error.message)
    // Without the right to read logs (or to reach the API at all) no other stream will do better: stop instead
    // of printing only errors.
    if (following && FATAL.has(error.kind)) this.finish()
  }

  private reportEnd(t: Target, end: TailEnd, following: boolean): void {
    if (end.kind === 'error') return this.fail(end.error, following)
    if (following && (end.kind === 'gone' || end.kind === 'terminated' || end.kind === 'finished')) {
      this.out.note(this.formatter.event('-', t.pod, t.container, t.namespace))
    }
  }
}

function key(t: {namespace: string; pod: string; container: string}): string {
  return `${t.namespace}\u0000${t.pod}\u0000${t.container}`
}

function lacking(c: ContainerChoice): string {
  return c.kind === 'named' ? `no container ${c.names.join(' or ')}` : c.kind === 'sidecar' ? 'no istio-proxy container' : 'no application container'
}

/**
 * Lets `perTurn` callers through per event-loop turn; the others wait for the next turns (setImmediate, so the
 * I/O that arrived in between is handled first). Opening 200 log streams in one turn meant the first line could
 * only be read after all 200 requests (and their TLS handshakes) were started; spread over turns, the answers to
 * the first requests are printed while the later ones are still opening, as kubectl's first lines are.
 */
export function turnGate(perTurn: number): () => Promise<void> {
  let used = 0
  let turn: Promise<void> | undefined
  const nextTurn = () => (turn ??= new Promise<void>((resolve) => setImmediate(() => { used = 0; turn = undefined; resolve() })))
  return async () => {
    while (used >= perTurn) await nextTurn()
    if (used++ === 0) void nextTurn()
  }
}
