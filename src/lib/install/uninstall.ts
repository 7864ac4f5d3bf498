// `uninstall demo`: delete the demo namespaces (which takes everything in them along) and wait until they are gone.
// Split in two so the command can ask for confirmation between looking and deleting.
import {connect, type ClusterFlags} from '../cluster/connect.js'
import {KubeError} from '../kube/errors.js'
import type {KubeObject} from '../resources/types.js'
import {clientNodeOps, type ClusterOps} from './cluster-ops.js'
import {selectDemos} from './plan.js'
import type {ProgressModel} from './progress/model.js'

export interface DemoNamespace {
  name: string
  exists: boolean
  /** Pods in it, when we may list them (for the confirmation question). */
  pods?: number
}

export interface UninstallResult {
  context: string
  namespaces: Array<{name: string; outcome: 'deleted' | 'absent' | 'still terminating' | 'not deleted'}>
  timedOut: boolean
  interrupted: boolean
  elapsedMs: number
}

export interface UninstallSession {
  context: string
  server: string
  namespaces: DemoNamespace[]
  remove(o: {timeoutMs: number; signal?: AbortSignal; progress: ProgressModel}): Promise<UninstallResult>
  close(): void
}

const nsObject = (name: string): KubeObject => ({apiVersion: 'v1', kind: 'Namespace', metadata: {name}})

/** Looks at the demo namespaces and checks that we may delete them; deletes nothing. */
export async function openUninstall(o: {demo?: string; cluster: ClusterFlags; ops?: ClusterOps}): Promise<UninstallSession> {
  const names = selectDemos(o.demo).map(d => d.namespace)
  const conn = o.ops ? undefined : await connect(o.cluster)
  try {
    const ops = o.ops ?? (await clientNodeOps(conn!))
    const namespaces: DemoNamespace[] = []
    for (const name of names) {
      const exists = (await ops.read(nsObject(name))) !== undefined
      let pods: number | undefined
      if (exists && (await ops.canI({verb: 'list', group: '', resource: 'pods', namespace: name}))) pods = (await ops.list('v1', 'Pod', name)).length
      namespaces.push({name, exists, pods})
    }
    const existing = namespaces.filter(n => n.exists)
    const denied: string[] = []
    for (const n of existing) if (!(await ops.canI({verb: 'delete', group: '', resource: 'namespaces', name: n.name}))) denied.push(n.name)
    if (denied.length > 0) {
      throw new KubeError('forbidden', `forbidden: the user of context "${ops.where.context}" at ${ops.where.server} cannot delete namespaces ${denied.map(d => `"${d}"`).join(', ')} (SelfSubjectAccessReview). Nothing was deleted: ask for RBAC permission or use another context (--context).`)
    }
    return {
      context: ops.where.context, server: ops.where.server, namespaces,
      remove: r => removeNamespaces(ops, namespaces, r),
      close: () => conn?.close(),
    }
  } catch (e) {
    conn?.close()
    throw e
  }
}

async function removeNamespaces(ops: ClusterOps, namespaces: DemoNamespace[], o: {timeoutMs: number; signal?: AbortSignal; progress: ProgressModel}): Promise<UninstallResult> {
  const started = Date.now()
  const result: UninstallResult = {context: ops.where.context, namespaces: namespaces.map(n => ({name: n.name, outcome: n.exists ? 'not deleted' : 'absent'})), timedOut: false, interrupted: false, elapsedMs: 0}
  const pending = namespaces.filter(n => n.exists)
  for (const n of namespaces) o.progress.add(n.name, `namespace ${n.name}`)
  for (const n of namespaces.filter(x => !x.exists)) o.progress.set(n.name, 'done', 'not there')
  for (const n of pending) {
    if (o.signal?.aborted) break
    o.progress.set(n.name, 'working', 'deleting')
    try {
      await ops.delete(nsObject(n.name))
    } catch (e) {
      // 409: the namespace is already terminating; waiting for it is all that is left to do.
      if (!(e instanceof KubeError && e.kind === 'conflict')) throw e
    }
    result.namespaces.find(x => x.name === n.name)!.outcome = 'still terminating'
    o.progress.set(n.name, 'working', 'terminating')
  }
  // Poll until each is gone (a namespace terminates once its contents are deleted and finalizers ran).
  let delay = 100
  for (;;) {
    const left = result.namespaces.filter(x => x.outcome === 'still terminating')
    for (const x of left) {
      if ((await ops.read(nsObject(x.name))) === undefined) {
        x.outcome = 'deleted'
        o.progress.set(x.name, 'done', 'deleted')
      }
    }
    result.elapsedMs = Date.now() - started
    if (result.namespaces.every(x => x.outcome !== 'still terminating')) break
    if (o.signal?.aborted) {
      result.interrupted = true
      break
    }
    if (result.elapsedMs >= o.timeoutMs) {
      result.timedOut = true
      break
    }
    await new Promise(r => setTimeout(r, Math.min(delay, o.timeoutMs - result.elapsedMs)))
    delay = Math.min(delay * 2, 2000)
  }
  if (o.signal?.aborted) result.interrupted = true
  for (const x of result.namespaces) if (x.outcome === 'still terminating' || x.outcome === 'not deleted') o.progress.set(x.name, 'failed', x.outcome)
  return result
}

export function renderUninstallReport(r: UninstallResult, ok: (s: string) => string, bad: (s: string) => string, timeout: string): string {
  const lines: string[] = []
  for (const n of r.namespaces) {
    if (n.outcome === 'deleted') lines.push(ok(`namespace ${n.name} deleted`))
    else if (n.outcome === 'absent') lines.push(ok(`namespace ${n.name} was not there`))
    else if (n.outcome === 'still terminating') lines.push(bad(`namespace ${n.name} is still terminating${r.timedOut ? ` after ${timeout}` : ''}: see what holds it with kubectl get namespace ${n.name} -o yaml`))
    else lines.push(bad(`namespace ${n.name} not deleted (interrupted)`))
  }
  const left = r.namespaces.filter(n => n.outcome === 'still terminating' || n.outcome === 'not deleted')
  if (r.interrupted) lines.push(bad(`Interrupted (Ctrl-C): ${left.length} demo namespace(s) left; run \`aerakictl uninstall demo --yes\` again to finish.`))
  else if (left.length > 0) lines.push(bad(`Not uninstalled: ${left.length} demo namespace(s) left.`))
  else {
    // Only the namespaces of the demos asked for were looked at: say "no demo namespace left" only when that is all
    // of them, else name what is gone (`uninstall demo thrift` leaves meta-dubbo as it is).
    const names = r.namespaces.map(n => n.name)
    const all = selectDemos('all').every(d => names.includes(d.namespace))
    const which = names.join(' and ')
    if (r.namespaces.every(n => n.outcome === 'absent')) lines.push(ok(all ? 'Nothing to uninstall: no demo namespace exists.' : `Nothing to uninstall: ${which} does not exist.`))
    else lines.push(ok(all ? 'Demo uninstalled: no demo namespace left.' : `Demo uninstalled: ${which} is gone; other demos were not touched.`))
  }
  return `${lines.join('\n')}\n`
}
