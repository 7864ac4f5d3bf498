// The client-node calls around a log stream: listing pods, reading one pod, and the follow-up that recovers
// the API server's message when client-node's Log reports only "Error occurred in log request".
import type {V1Pod} from '@kubernetes/client-node'
import type {ClusterConnection} from '../cluster/connect.js'
import {KubeError} from '../kube/errors.js'
import {listPages, objectPath} from '../cluster/objects.js'
import {containerNames, runningContainerId, type Target} from './targets.js'
import type {ContainerState} from './container-tail.js'

// Every call as JSON through KubeClient, none through client-node's generated API: app-log loads no model class.
export class PodCalls {
  constructor(private conn: ClusterConnection) {}

  /**
   * The pods of a namespace (undefined: of every namespace), read in chunks as kubectl does and kept as the JSON the server sent (client-node's
   * typed conversion took ~0.5 ms per pod, and watch events arrive as plain JSON anyway).
   */
  async list(namespace: string | undefined, labelSelector?: string): Promise<{pods: V1Pod[]; resourceVersion?: string}> {
    let pods: V1Pod[] = []
    let resourceVersion: string | undefined
    await listPages(this.conn.kube, {apiVersion: 'v1', plural: 'pods', resource: 'pods'}, namespace, {
      labelSelector,
      onItems: (items, restart, rv) => {
        if (restart) pods = []
        for (const p of items) pods.push(p as V1Pod)
        resourceVersion = rv
      },
    })
    return {pods, resourceVersion}
  }

  async read(namespace: string, name: string): Promise<V1Pod | undefined> {
    try {
      return await this.conn.kube.getJson({verb: 'get', resource: 'pods', namespace, name}, objectPath('v1', 'pods', namespace, name)) as V1Pod
    } catch (e) {
      if (e instanceof KubeError && e.status === 404) return undefined
      throw e
    }
  }

  async state(t: Target): Promise<ContainerState> {
    const pod = await this.read(t.namespace, t.pod)
    if (!pod || pod.metadata?.deletionTimestamp) return 'gone'
    const id = runningContainerId(pod, t.container)
    return id && (!t.containerId || id === t.containerId) ? 'running' : 'not-running'
  }

  /** Repeats the failed request as a one-byte read, which keeps the server's answer; undefined if it now works. */
  async diagnose(t: Target): Promise<KubeError | undefined> {
    try {
      await this.conn.kube.getText({verb: 'get', resource: 'pods/log', namespace: t.namespace, name: t.pod}, `${objectPath('v1', 'pods', t.namespace, t.pod)}/log`, {container: t.container, limitBytes: 1})
      return undefined
    } catch (e) {
      if (!(e instanceof KubeError)) return new KubeError('server', `reading the log of ${t.pod} › ${t.container} failed: ${(e as Error).message}`)
      if (e.kind === 'invalid' && /container \S+ is not valid|container .* not found/i.test(e.message)) {
        const pod = await this.read(t.namespace, t.pod).catch(() => undefined)
        if (pod) return new KubeError('invalid', `container "${t.container}" is not valid for pod ${t.pod} in namespace ${t.namespace}; its containers: ${containerNames(pod).join(', ')}`, 400)
      }
      return e
    }
  }
}
