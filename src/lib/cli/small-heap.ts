// A followed log session (`app-log -f`, `istiod log -f` …) stays up for hours, and what it costs is its resident
// memory, not its peak lines per second. V8's defaults trade memory for throughput: under a burst of lines the young
// generation doubles up to 16 MB semi-spaces (32 MB committed, V8 src/heap/heap.cc ConfigureHeap and
// SemiSpaceNewSpace::Grow), and the old generation may double between two full collections
// (src/heap/heap-controller.cc MemoryController::GrowingFactor). Both flags below are read at each growth, so they
// still apply when set at run time; the sizes fixed at start-up (--max-semi-space-size) are not.
// `node bench/app-log.mjs --pods 200 --backlog 20000 --lines 20000 --v8-defaults` pairs this with V8's own sizing in one
// run: peak RSS 83.4–84.8 MB against 96.3–96.6 for the backlog, 90.8–96.2 against 116.8–120.4 for live lines, at the
// same lines/s (kubectl: 60–70 MB, 526 and 5,262 lines/s).
import {setFlagsFromString} from 'node:v8'

export const SMALL_HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=10'] as const

/** Flags of the user's own (NODE_OPTIONS or node's command line) that size the heap: they win over ours. */
const OWN_HEAP_FLAG = /--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|heap-growing-percent|max-old-space-size|optimize-for-size)\b/

/**
 * Asks V8 for a small heap, for the rest of the process. Only on the V8 versions whose flag list was checked (an
 * unknown flag is not an error but a line on stderr), and not when the user sized the heap. Returns whether it did.
 */
export function preferSmallHeap(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv, v8Version = process.versions.v8): boolean {
  const major = Number.parseInt(v8Version, 10)
  if (!(major >= 11 && major <= 13)) return false
  if (OWN_HEAP_FLAG.test(`${env.NODE_OPTIONS ?? ''} ${execArgv.join(' ')}`)) return false
  for (const flag of SMALL_HEAP_FLAGS) setFlagsFromString(flag)
  return true
}
