// Waiting for a condition instead of for a fixed time: `until` polls `fn` on the event loop (every `every` ms, so
// in-process servers keep running) and resolves with its first truthy value; after `ms` it fails with `what` (or
// the last error `fn` threw). The deadline is a failure bound, never the expected duration.
import {setTimeout as delay} from 'node:timers/promises'

export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>

export async function until<T>(fn: () => T | Promise<T>, what = 'condition', ms = 20_000, every = 25): Promise<Truthy<T>> {
  const end = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v as Truthy<T>
    } catch (e) { last = e }
    if (Date.now() > end) throw last ?? new Error(`${what}: not met within ${ms} ms`)
    await delay(every)
  }
}
