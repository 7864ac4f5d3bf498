// The container processes of running pods: a ContainerBehaviour per container, asked from the plugins, started
// when the pod turns Running and stopped (with its logs dropped) when the pod goes away.
import type {ContainerBehaviour, ContainerSpec, EmulatorPlugin} from './behaviour.js'
import type {Cluster} from './cluster.js'
import type {Logs} from './logs.js'
import type {KubeObject} from './types.js'

export class Containers {
  private running = new Map<string, () => void>()

  constructor(private cluster: Cluster, private logs: Logs, private plugins: EmulatorPlugin[]) {
    cluster.on('podRunning', (pod: KubeObject) => this.start(pod))
    cluster.store.on('event', (ev) => {
      if (ev.key === '/pods' && ev.type === 'DELETED') this.stopPod(ev.obj.metadata!.namespace!, ev.obj.metadata!.name!)
    })
  }

  /** The behaviour of one container (the first plugin that claims it), or an empty one. */
  behaviour(pod: KubeObject, containerName: string): ContainerBehaviour {
    const c = (((pod.spec as any)?.containers ?? []) as ContainerSpec[]).find((x) => x.name === containerName)
    if (!c) return {}
    for (const p of this.plugins) {
      const b = p.container?.(pod, c, this.cluster)
      if (b) return b
    }
    return {}
  }

  /** Pods share one network namespace: the first container listening on `port` answers. */
  portHandler(pod: KubeObject, port: number) {
    for (const c of ((pod.spec as any)?.containers ?? []) as ContainerSpec[]) {
      const h = this.behaviour(pod, c.name).port?.(port)
      if (h) return h
    }
    return undefined
  }

  private start(pod: KubeObject): void {
    const ns = pod.metadata!.namespace!, name = pod.metadata!.name!
    for (const c of ((pod.spec as any)?.containers ?? []) as ContainerSpec[]) {
      const b = this.behaviour(pod, c.name)
      if (!b.run) continue
      const buf = this.logs.buffer(ns, name, c.name)
      try {
        const stop = b.run((text) => buf.push(text))
        if (stop) this.running.set(`${ns}/${name}/${c.name}`, stop)
      } catch (e) {
        this.cluster.emit('controllerError', e)
      }
    }
  }

  private stopPod(ns: string, name: string): void {
    for (const [k, stop] of this.running) if (k.startsWith(`${ns}/${name}/`)) { stop(); this.running.delete(k) }
    this.logs.dropPod(ns, name)
  }

  stop(): void {
    for (const stop of this.running.values()) stop()
    this.running.clear()
  }
}
