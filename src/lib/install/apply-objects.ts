// The writes: namespaces first, then a dry run of what could not be dry-run before they existed (rolling the new
// namespaces back if it fails, so nothing is left half-applied), then every other object, in manifest order.
// Ctrl-C (the signal) stops between two writes; the result says what was applied.
import {KubeError} from '../kube/errors.js'
import type {ClusterOps} from './cluster-ops.js'
import type {PlannedObject} from './plan.js'
import {writeInOrder, type AppliedObject as Applied} from '../cluster/apply.js'
import {NOTHING_APPLIED, actionFor, dryRunOne, type Preflight} from './preflight.js'

/** One demo object applied (cluster/apply.ts AppliedObject), with the planned entry it came from. */
export interface AppliedObject extends Applied {
  planned: PlannedObject
}

export interface ApplyOutcome {
  applied: AppliedObject[]
  /** Set when Ctrl-C stopped the writes: the objects not applied. */
  interruptedBefore?: PlannedObject[]
}

export class ApplyFailed extends KubeError {
  constructor(cause: KubeError, readonly applied: AppliedObject[]) {
    super(cause.kind, cause.message, cause.status, cause.reason)
  }
}

/** A dry run failed after the namespaces were created; they were deleted again (see `removed`). */
export class RolledBack extends KubeError {
  constructor(cause: KubeError, message: string, readonly removed: PlannedObject[]) {
    super(cause.kind, message, cause.status, cause.reason)
  }
}

export async function applyObjects(ops: ClusterOps, planned: PlannedObject[], pre: Preflight, o: {signal?: AbortSignal; onApplied: (a: AppliedObject) => void}): Promise<ApplyOutcome> {
  const applied: AppliedObject[] = []
  // The one write loop (cluster/apply.ts writeInOrder): stops at the first failure or between two writes on Ctrl-C.
  const writeAll = async (items: PlannedObject[], later: PlannedObject[]): Promise<ApplyOutcome | undefined> => {
    const report = await writeInOrder(items, async p => actionFor(pre.live.get(p), await ops.apply(p.obj, false)), {
      signal: o.signal,
      onApplied: (p, action) => {
        const a = {planned: p, resource: p.ref, action}
        applied.push(a)
        o.onApplied(a)
      },
    })
    const f = report.failed
    if (f && f.error instanceof KubeError) {
      const e = f.error
      const before = applied.length > 0 ? `${applied.length} object(s) were applied before it: ${applied.map(a => a.planned.ref).join(', ')}` : 'nothing was applied before it'
      throw new ApplyFailed(new KubeError(e.kind, `applying ${f.item.ref} failed: ${e.message}\n${before}. Fix the cause and run it again (it changes only what differs), or remove the demo with: aerakictl uninstall demo`, e.status, e.reason), applied)
    }
    // Ctrl-C (between two writes, or cutting one in flight: that one counts as not applied).
    if (report.interrupted) return {applied, interruptedBefore: [...(f ? [f.item] : []), ...report.notApplied, ...later]}
    return undefined
  }

  const namespaces = planned.filter(p => p.obj.kind === 'Namespace')
  const others = planned.filter(p => p.obj.kind !== 'Namespace')
  const stoppedInNamespaces = await writeAll(namespaces, others)
  if (stoppedInNamespaces) return stoppedInNamespaces
  const deferred = others.filter(p => pre.deferred.includes(p))
  for (const p of deferred) {
    try {
      pre.dryRun.set(p, await dryRunOne(ops, p))
    } catch (e) {
      if (!(e instanceof KubeError)) throw e
      throw await rollBackNamespaces(ops, applied, e)
    }
  }
  return (await writeAll(others, [])) ?? {applied}
}

/** Deletes the namespaces this run created (they are still empty), so a failed dry run leaves nothing behind. */
async function rollBackNamespaces(ops: ClusterOps, applied: AppliedObject[], cause: KubeError): Promise<RolledBack> {
  const created = applied.filter(a => a.action === 'create').map(a => a.planned)
  const removed: PlannedObject[] = []
  const failed: string[] = []
  for (const p of created) {
    try {
      await ops.delete(p.obj)
      removed.push(p)
    } catch (e) {
      failed.push(`${p.obj.metadata!.name} (${(e as Error).message})`)
    }
  }
  const tail = failed.length > 0
    ? `The namespaces created by this run could not all be removed: ${failed.join('; ')}; delete them with: aerakictl uninstall demo --yes`
    : removed.length > 0 ? `Removed the namespaces this run had created (${removed.map(p => p.obj.metadata!.name).join(', ')}): ${NOTHING_APPLIED.toLowerCase()}` : NOTHING_APPLIED
  return new RolledBack(cause, `${cause.message}\n${tail}`, removed)
}
