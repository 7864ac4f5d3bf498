// Shared by the install tests: the emulator's state as a comparable snapshot, and a quiet moment to take it in.
import type {Emulator} from '../../support/emulator.js'
import type {KubeObject} from '../../../src/lib/resources/types.js'
import {until} from '../../support/wait.js'

export function objectsIn(emu: Emulator, group: string, plural: string, ns?: string): KubeObject[] {
  return emu.state.cluster.list(emu.state.cluster.type(group, plural), ns)
}

export function demoNamespaces(emu: Emulator): string[] {
  return objectsIn(emu, '', 'namespaces').map(n => n.metadata!.name!).filter(n => n.startsWith('meta-'))
}

/** Everything stored (resourceVersion counter and every object): equal snapshots mean nothing was written. */
export function snapshot(emu: Emulator): {rv: number; objects: string} {
  const c = emu.state.cluster
  const objects = c.registry.all().flatMap(t => c.list(t).map(o => `${t.plural}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}@${o.metadata?.resourceVersion}`)).sort()
  return {rv: c.store.currentRv(), objects: objects.join('\n')}
}

/** Waits until the seeded pods (istiod, aeraki) have started, so the controllers stop writing. */
export async function settled(emu: Emulator): Promise<void> {
  // Quiet: every pod Running and the store's resourceVersion unchanged over the last five polls.
  let rv = ''
  let same = 0
  await until(() => {
    const now = String(emu.state.cluster.store.currentRv())
    same = now === rv ? same + 1 : 0
    rv = now
    return objectsIn(emu, '', 'pods').every(p => (p.status as any)?.phase === 'Running') && same >= 4
  }, 'the emulator settling (pods Running, no more writes)')
}

/**
 * Every stored object without resourceVersion and managedFields times. The emulator restamps the time of an Apply
 * entry (and so bumps resourceVersion) on a no-op server-side apply, where a real API server writes nothing.
 */
export function contentSnapshot(emu: Emulator): string {
  const c = emu.state.cluster
  return c.registry.all().flatMap(t => c.list(t).map(o => {
    const md: any = {...o.metadata}
    delete md.resourceVersion
    md.managedFields = (md.managedFields ?? []).map((f: any) => ({...f, time: undefined})).sort((a: any, b: any) => `${a.manager}${a.operation}`.localeCompare(`${b.manager}${b.operation}`))
    return `${t.plural} ${JSON.stringify({...o, metadata: md})}`
  })).sort().join('\n')
}
