// The controllers a small cluster needs: Deployment → ReplicaSet → Pod, pod start-up (with image-pull failures),
// Deployment/ReplicaSet status, and Endpoints for Services.
import {createHash, randomUUID} from 'node:crypto'
import type {KubeObject} from './types.js'
import {Cluster, nowIso, randomSuffix} from './cluster.js'
import type {ResourceType} from './resources.js'
import type {StoreEvent} from './store.js'
import {matchesMap} from './selectors.js'

export const NODE_NAME = 'playground-node'

export interface ControllerOptions {
  /** Milliseconds from pod creation to Running. */
  podStartDelayMs: number
  /** Image substrings that fail to pull (ImagePullBackOff). */
  failingImages: ReadonlySet<string>
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789'

/** pod-template-hash as the deployment controller computes it: FNV-32a, then SafeEncodeString of the decimal. */
export function templateHash(template: unknown): string {
  let h = 0x811c9dc5
  for (const b of Buffer.from(JSON.stringify(template ?? {}))) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0 }
  return [...String(h)].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('')
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const owns = (owner: KubeObject) => (o: KubeObject) => (o.metadata as any)?.ownerReferences?.some((r: any) => r.uid === owner.metadata?.uid)
const ownerRef = (o: KubeObject) => ({apiVersion: o.apiVersion, kind: o.kind, name: o.metadata?.name, uid: o.metadata?.uid, controller: true, blockOwnerDeletion: true})
const podReady = (p: KubeObject) => (p.status as any)?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') === true
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export class Controllers {
  private timers = new Set<NodeJS.Timeout>()
  private dirty = new Set<string>()
  private scheduled = false
  private stopped = false
  private readonly t: Record<'pods' | 'rs' | 'deploy' | 'svc' | 'ep' | 'ns', ResourceType>

  constructor(private cluster: Cluster, private opts: ControllerOptions) {
    this.t = {
      pods: cluster.type('', 'pods'), rs: cluster.type('apps', 'replicasets'), deploy: cluster.type('apps', 'deployments'),
      svc: cluster.type('', 'services'), ep: cluster.type('', 'endpoints'), ns: cluster.type('', 'namespaces'),
    }
    cluster.on('admit', (t: ResourceType, obj: KubeObject, old?: KubeObject) => {
      if (t === this.t.pods && !old) this.admitPod(obj)
    })
    cluster.store.on('event', (ev: StoreEvent) => this.onEvent(ev))
  }

  stop(): void {
    this.stopped = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      if (this.stopped) return
      try { fn() } catch (e) { this.cluster.emit('controllerError', e) }
    }, ms)
    this.timers.add(t)
  }

  private onEvent(ev: StoreEvent): void {
    const ns = ev.obj.metadata?.namespace
    if (!ns) return
    if (['apps/deployments', 'apps/replicasets', '/pods', '/services'].includes(ev.key)) this.markDirty(ns)
    if (ev.key === '/pods' && ev.type === 'ADDED' && !(ev.obj.status as any)?.phase) this.schedulePod(ev.obj)
  }

  private markDirty(ns: string): void {
    this.dirty.add(ns)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      if (this.stopped) return
      const nss = [...this.dirty]
      this.dirty.clear()
      // A malformed object must not take the playground down: report and carry on.
      for (const n of nss) { try { this.reconcile(n) } catch (e) { this.cluster.emit('controllerError', e) } }
    })
  }

  /** What the API server and scheduler default on a new pod (admission plugins may have mutated it already). */
  private admitPod(pod: KubeObject): void {
    const spec: any = pod.spec ?? {}
    spec.nodeName ??= NODE_NAME
    spec.restartPolicy ??= 'Always'
    for (const c of spec.containers ?? []) for (const p of c.ports ?? []) p.protocol ??= 'TCP'
    pod.spec = spec
  }

  private schedulePod(created: KubeObject): void {
    const ns = created.metadata!.namespace!, name = created.metadata!.name!
    const containers: any[] = (created.spec as any)?.containers ?? []
    const waiting = containers.map((c) => ({name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: {waiting: {reason: 'ContainerCreating'}}, lastState: {}}))
    this.updatePod(ns, name, (p) => {
      p.status = {
        phase: 'Pending', hostIP: '172.18.0.2', hostIPs: [{ip: '172.18.0.2'}], qosClass: 'BestEffort', startTime: nowIso(),
        conditions: [{type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowIso()}],
        containerStatuses: waiting,
      }
    })
    const pod = this.cluster.find(this.t.pods, ns, name)
    if (!pod) return
    this.cluster.recordEvent(pod, 'Scheduled', `Successfully assigned ${ns}/${name} to ${NODE_NAME}`, 'Normal', 'default-scheduler')
    const failing = containers.filter((c) => [...this.opts.failingImages].some((s) => String(c.image).includes(s)))
    for (const c of containers) this.cluster.recordEvent(pod, 'Pulling', `Pulling image "${c.image}"`)
    this.later(this.opts.podStartDelayMs, () => {
      const p = this.cluster.find(this.t.pods, ns, name)
      if (!p || p.metadata?.uid !== created.metadata?.uid) return
      if (failing.length > 0) return this.failPull(p, failing)
      for (const c of containers) {
        this.cluster.recordEvent(p, 'Pulled', `Successfully pulled image "${c.image}" in 1.02s (1.02s including waiting)`)
        this.cluster.recordEvent(p, 'Created', `Created container ${c.name}`)
        this.cluster.recordEvent(p, 'Started', `Started container ${c.name}`)
      }
      const ip = this.cluster.allocatePodIp()
      const now = nowIso()
      this.updatePod(ns, name, (q) => {
        const st: any = q.status
        st.phase = 'Running'
        st.podIP = ip
        st.podIPs = [{ip}]
        st.containerStatuses = containers.map((c) => ({
          name: c.name, image: c.image, imageID: `${c.image}@sha256:${sha256(String(c.image))}`,
          containerID: `containerd://${sha256(`${name}/${c.name}/${now}`)}`, ready: true, restartCount: 0, started: true,
          state: {running: {startedAt: now}}, lastState: {},
        }))
        st.conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']
          .map((type) => ({type, status: 'True', lastProbeTime: null, lastTransitionTime: now}))
      })
      const running = this.cluster.find(this.t.pods, ns, name)
      if (running) this.cluster.emit('podRunning', running)
    })
  }

  private failPull(pod: KubeObject, failing: any[]): void {
    const ns = pod.metadata!.namespace!, name = pod.metadata!.name!
    const msg = (img: string) => `rpc error: code = NotFound desc = failed to pull and unpack image "${img}": not found`
    for (const c of failing) {
      this.cluster.recordEvent(pod, 'Failed', `Failed to pull image "${c.image}": ${msg(c.image)}`, 'Warning')
      this.cluster.recordEvent(pod, 'Failed', 'Error: ErrImagePull', 'Warning')
    }
    const setReason = (reason: string) => this.updatePod(ns, name, (q) => {
      for (const cs of (q.status as any).containerStatuses) {
        if (failing.some((c) => c.name === cs.name)) cs.state = {waiting: {reason, message: reason === 'ErrImagePull' ? msg(cs.image) : `Back-off pulling image "${cs.image}"`}}
      }
    })
    setReason('ErrImagePull')
    this.later(Math.max(50, this.opts.podStartDelayMs), () => {
      const p = this.cluster.find(this.t.pods, ns, name)
      if (!p) return
      for (const c of failing) {
        this.cluster.recordEvent(p, 'BackOff', `Back-off pulling image "${c.image}"`)
        this.cluster.recordEvent(p, 'Failed', 'Error: ImagePullBackOff', 'Warning')
      }
      setReason('ImagePullBackOff')
    })
  }

  private updatePod(ns: string, name: string, mutate: (p: KubeObject) => void): void {
    const p = this.cluster.find(this.t.pods, ns, name)
    if (!p) return
    const next = structuredClone(p)
    mutate(next)
    this.cluster.store.put(this.t.pods, next)
  }

  private putIfChanged(t: ResourceType, obj: KubeObject, old?: KubeObject): void {
    if (old && same({...old, metadata: {...old.metadata, resourceVersion: 0}}, {...obj, metadata: {...obj.metadata, resourceVersion: 0}})) return
    this.cluster.store.put(t, obj)
  }

  private reconcile(ns: string): void {
    if (!this.cluster.find(this.t.ns, undefined, ns)) return
    for (const d of this.cluster.list(this.t.deploy, ns)) this.reconcileDeployment(d)
    for (const rs of this.cluster.list(this.t.rs, ns)) this.reconcileReplicaSet(rs)
    for (const d of this.cluster.list(this.t.deploy, ns)) this.deploymentStatus(d)
    for (const svc of this.cluster.list(this.t.svc, ns)) this.endpoints(svc)
  }

  private reconcileDeployment(d: KubeObject): void {
    const spec: any = d.spec ?? {}
    if (!spec.template) return
    const hash = templateHash(spec.template)
    const ns = d.metadata!.namespace!
    const rsName = `${d.metadata!.name}-${hash}`
    const mine = this.cluster.list(this.t.rs, ns).filter(owns(d))
    const replicas = spec.replicas ?? 1
    const existing = mine.find((r) => r.metadata!.name === rsName)
    if (!existing) {
      const labels = {...(spec.template.metadata?.labels ?? {}), 'pod-template-hash': hash}
      this.cluster.create(this.t.rs, ns, {
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: {name: rsName, namespace: ns, labels, annotations: {'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/revision': String(mine.length + 1)}, ownerReferences: [ownerRef(d)]},
        spec: {replicas, selector: {matchLabels: {...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash}}, template: {...spec.template, metadata: {...spec.template.metadata, labels}}},
      })
      this.cluster.recordEvent(d, 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${replicas}`, 'Normal', 'deployment-controller')
    } else if ((existing.spec as any).replicas !== replicas) {
      const next = structuredClone(existing)
      ;(next.spec as any).replicas = replicas
      this.cluster.store.put(this.t.rs, next)
      this.cluster.recordEvent(d, 'ScalingReplicaSet', `Scaled replica set ${rsName} from ${(existing.spec as any).replicas} to ${replicas}`, 'Normal', 'deployment-controller')
    }
    for (const old of mine) {
      if (old.metadata!.name === rsName || (old.spec as any).replicas === 0) continue
      const next = structuredClone(old)
      ;(next.spec as any).replicas = 0
      this.cluster.store.put(this.t.rs, next)
      this.cluster.recordEvent(d, 'ScalingReplicaSet', `Scaled down replica set ${old.metadata!.name} from ${(old.spec as any).replicas} to 0`, 'Normal', 'deployment-controller')
    }
  }

  private reconcileReplicaSet(rs: KubeObject): void {
    const ns = rs.metadata!.namespace!
    const spec: any = rs.spec ?? {}
    const pods = this.cluster.list(this.t.pods, ns).filter(owns(rs))
    const want = spec.replicas ?? 1
    for (let i = pods.length; i < want; i++) {
      const name = `${rs.metadata!.name}-${randomSuffix(5)}`
      this.cluster.create(this.t.pods, ns, {
        apiVersion: 'v1', kind: 'Pod',
        metadata: {name, namespace: ns, labels: {...(spec.template?.metadata?.labels ?? {})}, annotations: {...(spec.template?.metadata?.annotations ?? {})}, ownerReferences: [ownerRef(rs)]},
        spec: structuredClone(spec.template?.spec ?? {}),
      })
      this.cluster.recordEvent(rs, 'SuccessfulCreate', `Created pod: ${name}`, 'Normal', 'replicaset-controller')
    }
    if (pods.length > want) {
      const extra = pods.sort((a, b) => String(b.metadata!.creationTimestamp).localeCompare(String(a.metadata!.creationTimestamp))).slice(0, pods.length - want)
      for (const p of extra) {
        this.cluster.delete(this.t.pods, ns, p.metadata!.name!)
        this.cluster.recordEvent(rs, 'SuccessfulDelete', `Deleted pod: ${p.metadata!.name}`, 'Normal', 'replicaset-controller')
      }
    }
    const current = this.cluster.list(this.t.pods, ns).filter(owns(rs))
    const ready = current.filter(podReady).length
    const next = structuredClone(rs)
    next.status = {replicas: current.length, fullyLabeledReplicas: current.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata!.generation}
    if (ready === 0) { delete (next.status as any).readyReplicas; delete (next.status as any).availableReplicas }
    this.putIfChanged(this.t.rs, next, rs)
  }

  private deploymentStatus(d: KubeObject): void {
    const ns = d.metadata!.namespace!
    const hash = templateHash((d.spec as any)?.template)
    const sets = this.cluster.list(this.t.rs, ns).filter(owns(d))
    const total = sets.reduce((n, r) => n + ((r.status as any)?.replicas ?? 0), 0)
    const ready = sets.reduce((n, r) => n + ((r.status as any)?.readyReplicas ?? 0), 0)
    const current = sets.find((r) => r.metadata!.name === `${d.metadata!.name}-${hash}`)
    const updated = (current?.status as any)?.replicas ?? 0
    const want = (d.spec as any)?.replicas ?? 1
    const prev: any = d.status ?? {}
    const cond = (type: string, ok: boolean, reason: string, message: string) => {
      const before = prev.conditions?.find((c: any) => c.type === type)
      const status = ok ? 'True' : 'False'
      return {type, status, lastUpdateTime: before?.status === status && before.reason === reason ? before.lastUpdateTime : nowIso(), lastTransitionTime: before?.status === status ? before.lastTransitionTime : nowIso(), reason, message}
    }
    const available = ready >= want
    const status: any = {
      observedGeneration: d.metadata!.generation, replicas: total, updatedReplicas: updated, readyReplicas: ready, availableReplicas: ready,
      ...(total - ready > 0 ? {unavailableReplicas: total - ready} : {}),
      conditions: [
        cond('Available', available, available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
        cond('Progressing', true, available && updated === want ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', `ReplicaSet "${d.metadata!.name}-${hash}" ${available && updated === want ? 'has successfully progressed' : 'is progressing'}.`),
      ],
    }
    if (!ready) { delete status.readyReplicas; delete status.availableReplicas }
    const next = {...structuredClone(d), status}
    this.putIfChanged(this.t.deploy, next, d)
  }

  private endpoints(svc: KubeObject): void {
    const ns = svc.metadata!.namespace!
    const sel = (svc.spec as any)?.selector
    if (!sel) return
    const pods = this.cluster.list(this.t.pods, ns).filter((p) => matchesMap(sel, p.metadata?.labels) && (p.status as any)?.podIP)
    const addr = (p: KubeObject) => ({ip: (p.status as any).podIP, nodeName: NODE_NAME, targetRef: {kind: 'Pod', namespace: ns, name: p.metadata!.name, uid: p.metadata!.uid}})
    const ready = pods.filter(podReady).map(addr)
    const notReady = pods.filter((p) => !podReady(p)).map(addr)
    const ports = ((svc.spec as any).ports ?? []).map((p: any) => ({...(p.name ? {name: p.name} : {}), port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol ?? 'TCP'}))
    const subsets = ready.length || notReady.length ? [{...(ready.length ? {addresses: ready} : {}), ...(notReady.length ? {notReadyAddresses: notReady} : {}), ports}] : []
    const old = this.cluster.find(this.t.ep, ns, svc.metadata!.name!)
    const obj: KubeObject = {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: old ? {...structuredClone(old.metadata!)} : {name: svc.metadata!.name, namespace: ns, uid: randomUUID(), creationTimestamp: nowIso(), labels: {...(svc.metadata?.labels ?? {})}},
      ...(subsets.length ? {subsets} : {}),
    }
    if (old && same((old as any).subsets, (obj as any).subsets)) return
    this.cluster.store.put(this.t.ep, obj)
  }
}
