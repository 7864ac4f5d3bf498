// In-memory object storage with one global resourceVersion counter and a bounded event history
// for watches. Objects are kept in their storage version; readers convert the apiVersion.
import {EventEmitter} from 'node:events'
import type {KubeObject} from './types.js'
import {typeKey, type ResourceType} from './resources.js'

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface StoreEvent {
  rv: number
  type: WatchEventType
  key: string
  obj: KubeObject
}

const HISTORY = 5000
/** String.prototype.localeCompare's order (the default collator), made once. */
const COLLATOR = new Intl.Collator()

export function objKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`
}

export class Store extends EventEmitter {
  private data = new Map<string, Map<string, KubeObject>>()
  private history: StoreEvent[] = []
  private rv = 1
  private sorted = new Map<string, KubeObject[]>()
  /** Watches from resourceVersions below this get 410 Gone. */
  compactedRv = 0

  constructor() {
    super()
    this.setMaxListeners(0)
  }

  currentRv(): number { return this.rv }

  private bucket(t: ResourceType): Map<string, KubeObject> {
    const k = typeKey(t)
    let b = this.data.get(k)
    if (!b) { b = new Map(); this.data.set(k, b) }
    return b
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(t).get(objKey(t.namespaced ? namespace : undefined, name))
  }

  /** Objects of a type in namespace/name order (in one namespace when given); a new array of the stored objects. */
  list(t: ResourceType, namespace?: string): KubeObject[] {
    if (!namespace || !t.namespaced) return this.sortedList(t).slice()
    const inNamespace = (o: KubeObject) => o.metadata?.namespace === namespace
    // While objects change (controllers at work), one namespace is sorted on its own rather than the whole type.
    return this.sorted.get(typeKey(t))?.filter(inNamespace) ?? sortByKey([...this.bucket(t).values()].filter(inNamespace))
  }

  /**
   * Every object of a type in namespace/name order, sorted once until the type changes: a chunked list of 20,000
   * pods asks for 40 pages, and sorting the whole type again for each (with a locale comparison that built two
   * strings per step) took most of the API server's time.
   */
  private sortedList(t: ResourceType): KubeObject[] {
    const k = typeKey(t)
    let all = this.sorted.get(k)
    if (!all) {
      all = sortByKey([...this.bucket(t).values()])
      this.sorted.set(k, all)
    }
    return all
  }

  /** How many objects `list` would return, without copying or sorting them. */
  count(t: ResourceType, namespace?: string): number {
    if (!namespace || !t.namespaced) return this.bucket(t).size
    let n = 0
    for (const o of this.bucket(t).values()) if (o.metadata?.namespace === namespace) n++
    return n
  }

  /** Stores the object (assigning a new resourceVersion) and emits the event. Returns the stored object. */
  put(t: ResourceType, obj: KubeObject): KubeObject {
    const b = this.bucket(t)
    const key = objKey(t.namespaced ? obj.metadata?.namespace : undefined, obj.metadata!.name!)
    const type: WatchEventType = b.has(key) ? 'MODIFIED' : 'ADDED'
    const stored = structuredClone(obj)
    stored.metadata!.resourceVersion = String(++this.rv)
    b.set(key, stored)
    this.sorted.delete(typeKey(t))
    this.record(t, type, stored)
    return stored
  }

  remove(t: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const b = this.bucket(t)
    const key = objKey(t.namespaced ? namespace : undefined, name)
    const old = b.get(key)
    if (!old) return undefined
    b.delete(key)
    this.sorted.delete(typeKey(t))
    const gone = structuredClone(old)
    gone.metadata!.resourceVersion = String(++this.rv)
    this.record(t, 'DELETED', gone)
    return gone
  }

  dropType(t: ResourceType): void {
    for (const o of this.list(t)) this.remove(t, o.metadata?.namespace, o.metadata!.name!)
    this.data.delete(typeKey(t))
    this.sorted.delete(typeKey(t))
  }

  private record(t: ResourceType, type: WatchEventType, obj: KubeObject): void {
    const ev: StoreEvent = {rv: this.rv, type, key: typeKey(t), obj}
    this.history.push(ev)
    if (this.history.length > HISTORY) {
      const dropped = this.history.splice(0, this.history.length - HISTORY)
      this.compactedRv = Math.max(this.compactedRv, dropped[dropped.length - 1].rv)
    }
    this.emit('event', ev)
  }

  /** Events after `rv` for a type, or undefined when that history is gone (410). */
  eventsSince(key: string, rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined
    return this.history.filter((e) => e.rv > rv && e.key === key)
  }

  /** The object as it was at resourceVersion `rv`, when the history still knows it (null: known absent). */
  stateAt(key: string, namespace: string | undefined, name: string, rv: number): KubeObject | null | undefined {
    for (let i = this.history.length - 1; i >= 0; i--) {
      const e = this.history[i]
      if (e.rv > rv || e.key !== key || e.obj.metadata?.name !== name || e.obj.metadata?.namespace !== namespace) continue
      return e.type === 'DELETED' ? null : e.obj
    }
    return undefined
  }

  /** Forget all history: every resourceVersion seen so far becomes too old to watch from. */
  compact(): void {
    this.rv += 1
    this.compactedRv = this.rv
    this.history = []
  }
}

/** namespace/name order, each key built once. */
function sortByKey(objects: KubeObject[]): KubeObject[] {
  const keyed = objects.map((o) => ({key: `${o.metadata?.namespace}/${o.metadata?.name}`, o}))
  keyed.sort((a, b) => COLLATOR.compare(a.key, b.key))
  return keyed.map((x) => x.o)
}
