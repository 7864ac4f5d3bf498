// One way in to a cluster for the commands: kubeconfig resolved as kubectl does (src/lib/kube), then a
// @kubernetes/client-node KubeConfig built from it, imported only here, when a command really talks to a cluster.
import type {KubeConfig, KubernetesObjectApi} from '@kubernetes/client-node'
import {KubeClient} from '../kube/client.js'
import type {RequestTarget} from '../kube/errors.js'

export interface ClusterFlags {
  kubeconfig?: string
  context?: string
  namespace?: string
  /** --request-timeout, in seconds: each request's bound (KubeClient's default when not given). */
  requestTimeout?: number
  /** Ctrl-C: requests in flight are given up at once (see KubeClient). */
  signal?: AbortSignal
}

export interface ClusterConnection {
  kube: KubeClient
  kc: KubeConfig
  /**
   * client-node's generic object API, made on first use: it loads the generated models, which the commands that
   * only read (through KubeClient.getJson) never need (src/lib/kube/client-node-core.ts).
   */
  objects(): Promise<KubernetesObjectApi>
  /** -n, else the context's namespace, else "default". */
  namespace: string
  close(): void
}

export async function connect(flags: ClusterFlags): Promise<ClusterConnection> {
  const kube = KubeClient.create({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, signal: flags.signal, timeoutMs: flags.requestTimeout === undefined ? undefined : flags.requestTimeout * 1000})
  const kc = await kube.clientNode()
  let objects: Promise<KubernetesObjectApi> | undefined
  const makeObjects = async () => (await import('@kubernetes/client-node')).KubernetesObjectApi.makeApiClient(kc)
  return {kube, kc, objects: () => (objects ??= makeObjects()), namespace: kube.namespace, close: () => kube.close()}
}

/** Runs a client-node call, turning its errors into KubeErrors naming verb, resource, namespace, context and server. */
export function call<T>(conn: ClusterConnection, target: RequestTarget, fn: () => Promise<T>): Promise<T> {
  return conn.kube.run(target, () => fn())
}
