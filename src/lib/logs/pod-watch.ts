// Pods appearing, changing and going away, through client-node's Watch from the resourceVersion of a list.
// When the watch ends it is reopened; when its resourceVersion has expired (410), the pods are listed again
// and the differences reported, so no appearance or deletion is missed.
import type {KubeConfig, V1Pod} from '@kubernetes/client-node'
import type {PodCalls} from './pod-calls.js'
import {KubeError} from '../kube/errors.js'
import {PERMANENT} from './container-tail.js'
import {listPath} from '../cluster/objects.js'

export type PodEvent = 'ADDED' | 'MODIFIED' | 'DELETED'

export class PodWatcher {
  private known = new Map<string, V1Pod>()
  private controller: AbortController | undefined
  private stopped = false
  private timer: NodeJS.Timeout | undefined
  private rv: string | undefined
  /** Consecutive failed relists (the backoff) and the cause last noted (one message per cause). */
  private failures = 0
  private lastCause: string | undefined

  constructor(
    private kc: KubeConfig,
    private calls: PodCalls,
    /** undefined: every namespace (/api/v1/pods). */
    private namespace: string | undefined,
    private labelSelector: string | undefined,
    private onEvent: (type: PodEvent, pod: V1Pod) => void,
    private note: (text: string) => void,
    /** A failure no retry mends (TLS trust, 401, 403): the watcher stops and hands it over. */
    private onFatal: (error: KubeError) => void = () => {},
  ) {}

  /** Starts after a list: `pods` are taken as known (their events were handled by the caller). */
  start(pods: V1Pod[], resourceVersion: string | undefined): void {
    for (const p of pods) this.known.set(podKey(p), p)
    this.rv = resourceVersion
    void this.watch()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.controller?.abort()
  }

  private async watch(): Promise<void> {
    if (this.stopped) return
    if (!this.rv) return this.relist()
    const {Watch} = await import('../kube/client-node-core.js')
    let expired = false
    try {
      const path = listPath('v1', 'pods', this.namespace)
      this.controller = await new Watch(this.kc).watch(path,
        {resourceVersion: this.rv, allowWatchBookmarks: true, ...(this.labelSelector ? {labelSelector: this.labelSelector} : {})},
        (type: string, obj: any) => {
          if (type === 'ERROR') { expired = obj?.code === 410; return }
          if (obj?.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion
          if (type === 'BOOKMARK') return
          this.apply(type as PodEvent, obj as V1Pod)
        },
        (err: unknown) => this.again(expired || err ? 'relist' : 'watch'))
      // stop() while the watch was being opened found nothing to abort.
      if (this.stopped) this.controller.abort()
    } catch {
      this.again('relist')
    }
  }

  private again(how: 'watch' | 'relist'): void {
    if (this.stopped) return
    this.timer = setTimeout(() => void (how === 'relist' ? this.relist() : this.watch()), how === 'relist' ? 500 : 50)
  }

  private async relist(): Promise<void> {
    if (this.stopped) return
    try {
      const {pods, resourceVersion} = await this.calls.list(this.namespace, this.labelSelector)
      const seen = new Set<string>()
      for (const p of pods) {
        seen.add(podKey(p))
        this.apply(this.known.has(podKey(p)) ? 'MODIFIED' : 'ADDED', p)
      }
      for (const [k, p] of [...this.known]) if (!seen.has(k)) this.apply('DELETED', p)
      this.rv = resourceVersion
      this.failures = 0
      this.lastCause = undefined
      void this.watch()
    } catch (e) {
      if (this.stopped) return
      if (e instanceof KubeError && PERMANENT.has(e.kind)) {
        this.stop()
        this.onFatal(e)
        return
      }
      // The API down or restarting: back off exponentially (0.5 s doubling to 10 s), say so once per cause.
      const cause = (e as Error).message
      if (cause !== this.lastCause) this.note(`watching pods in ${this.namespace ?? 'every namespace'}: ${cause}; retrying with backoff (up to every 10s)`)
      this.lastCause = cause
      this.timer = setTimeout(() => void this.relist(), Math.min(10_000, 500 * 2 ** this.failures++))
    }
  }

  private apply(type: PodEvent, pod: V1Pod): void {
    // A relist or a watch answered after stop() reports nothing: the caller has moved on.
    if (this.stopped || !pod.metadata?.name) return
    if (type === 'DELETED') this.known.delete(podKey(pod))
    else this.known.set(podKey(pod), pod)
    this.onEvent(type, pod)
  }
}

/** namespace/name: pods of several namespaces may share a name. */
function podKey(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata!.name!}`
}
