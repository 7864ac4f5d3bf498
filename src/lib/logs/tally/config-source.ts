// Keeps the tally's configured split current. MetaRouters and DestinationRules are watched (client-node Watch),
// so a change is seen within milliseconds of reaching the API server; everything (with Services, ServiceEntries
// and Pods) is also read again every few seconds. Each read predicts the demo request again; a different answer
// closes the tally's segment.
import type {ClusterConnection} from '../../cluster/connect.js'
import {KubeError} from '../../kube/errors.js'
import {listPath} from '../../cluster/objects.js'
import type {Loaded} from '../../resources/types.js'
import {configuredSplit, podVersions, type DemoRequest} from './configured.js'
import type {Tally, TallyReport} from './tally.js'

export interface ConfigChange {
  before: TallyReport
  describe: string
}

const WATCHED = [
  {group: 'metaprotocol.aeraki.io', version: 'v1alpha1', plural: 'metarouters'},
  {group: 'networking.istio.io', version: 'v1alpha3', plural: 'destinationrules'},
]
/** A watch event is late by at most this much (the API server's fan-out and our socket). */
const WATCH_SLACK_MS = 250

export class ConfigSource {
  private timer: NodeJS.Timeout | undefined
  private rewatch: NodeJS.Timeout[] = []
  private stopped = false
  private warned = false
  private scope: string | undefined
  private watches: AbortController[] = []
  private lastConfirmed = Date.now()
  private running: Promise<void> | undefined
  private again: number | undefined

  constructor(
    private conn: ClusterConnection,
    private request: DemoRequest | undefined,
    private tally: Tally,
    private onChange: (c: ConfigChange) => void,
    private note: (text: string) => void,
    private namespace: string,
  ) {}

  /** Reads the configuration; `changedAfter`: when it was last known to be unchanged. */
  refresh(changedAfter = this.lastConfirmed): Promise<void> {
    if (this.running) {
      this.again = Math.min(this.again ?? Infinity, changedAfter)
      return this.running
    }
    this.running = this.read(changedAfter).finally(() => {
      this.running = undefined
      if (this.again !== undefined && !this.stopped) {
        const at = this.again
        this.again = undefined
        void this.refresh(at)
      }
    })
    return this.running
  }

  private async read(changedAfter: number): Promise<void> {
    const startedAt = Date.now()
    const objects = await this.load()
    if (!objects) return
    this.tally.learnPods(podVersions(objects))
    if (this.request) {
      const split = configuredSplit(objects, this.request)
      this.tally.setInForceSince(lastChange(objects, this.request.host))
      const before = this.tally.setConfigured(split, changedAfter)
      if (before) this.onChange({before, describe: describeConfig(split.metaRouter, split.route)})
    }
    this.lastConfirmed = startedAt
  }

  start(everyMs: number): void {
    const tick = () => {
      if (this.stopped) return
      this.timer = setTimeout(() => void this.refresh().finally(tick), everyMs)
    }
    tick()
    for (const w of WATCHED) void this.watch(w)
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    for (const t of this.rewatch) clearTimeout(t)
    for (const c of this.watches) c.abort()
  }

  private async watch(w: (typeof WATCHED)[number]): Promise<void> {
    if (this.stopped) return
    const {Watch} = await import('../../kube/client-node-core.js')
    const path = listPath(`${w.group}/${w.version}`, w.plural, this.scope)
    // The first events replay what exists: reading again then finds no change, which is harmless.
    const controller = await new Watch(this.conn.kc).watch(path, {allowWatchBookmarks: true}, (type: string) => {
      if (type !== 'BOOKMARK') void this.refresh(Date.now() - WATCH_SLACK_MS)
    }, () => {
      if (!this.stopped) this.rewatch.push(setTimeout(() => void this.watch(w), 1000))
    })
    if (this.stopped) controller.abort()
    else this.watches.push(controller)
  }

  // Cluster-wide when allowed (a MetaRouter or the servers may live elsewhere), else the log's namespace.
  private async load(): Promise<Loaded[] | undefined> {
    const {loadClusterObjects} = await import('../../cluster/objects.js')
    try {
      return (await loadClusterObjects(this.conn.kube, this.scope, {pods: true})).objects
    } catch (e) {
      if (e instanceof KubeError && e.kind === 'forbidden' && this.scope === undefined) {
        this.scope = this.namespace
        return this.load()
      }
      if (!this.warned) this.note(`tally: cannot read the routing configuration: ${(e as Error).message}`)
      this.warned = true
      return undefined
    }
  }
}

function describeConfig(metaRouter: string | null, route: string | null): string {
  return metaRouter ? `MetaRouter ${metaRouter}${route ? `, route ${route}` : ''}` : 'no MetaRouter'
}

/**
 * When the routing of `host` last changed: the latest managedFields time (else creation time) of the MetaRouters
 * naming it and the DestinationRules for it. Log lines written earlier followed an earlier configuration.
 */
export function lastChange(objects: Loaded[], host: string): number | undefined {
  const short = host.split('.')[0]
  let latest: number | undefined
  for (const {obj} of objects) {
    const spec: any = obj.spec ?? {}
    const relevant = obj.kind === 'MetaRouter' ? (spec.hosts ?? []).includes(host)
      : obj.kind === 'DestinationRule' ? spec.host === host || spec.host === short || host.startsWith(`${spec.host}.`) : false
    if (!relevant) continue
    const times = [...((obj.metadata as any)?.managedFields ?? []).map((f: any) => f.time), obj.metadata?.creationTimestamp].map((t) => Date.parse(String(t))).filter((t) => !Number.isNaN(t))
    for (const t of times) if (latest === undefined || t > latest) latest = t
  }
  return latest
}
