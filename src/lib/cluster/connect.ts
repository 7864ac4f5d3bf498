// One way in to a cluster for the commands: kubeconfig resolved as kubectl does (src/lib/kube), then a
// @kubernetes/client-node KubeConfig built from it, imported only here, when a command really talks to a cluster.
import type {KubeConfig, KubernetesObjectApi} from '@kubernetes/client-node'
import {KubeClient} from '../kube/client.js'
import {KubeError, statusError, type RequestTarget} from '../kube/errors.js'

export interface ClusterFlags {
  kubeconfig?: string
  context?: string
  namespace?: string
}

export interface ClusterConnection {
  kube: KubeClient
  kc: KubeConfig
  objects: KubernetesObjectApi
  /** -n, else the context's namespace, else "default". */
  namespace: string
  close(): void
}

export async function connect(flags: ClusterFlags): Promise<ClusterConnection> {
  const kube = KubeClient.create({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace})
  const kc = await kube.clientNode()
  const {KubernetesObjectApi} = await import('@kubernetes/client-node')
  return {kube, kc, objects: KubernetesObjectApi.makeApiClient(kc), namespace: kube.namespace, close: () => kube.close()}
}

/**
 * Runs a client-node call and turns its ApiException (code + JSON body) or socket error into a KubeError that
 * names the verb, resource, namespace, context and server.
 */
export async function call<T>(conn: ClusterConnection, target: RequestTarget, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    const err = e as {code?: number | string; body?: unknown; message?: string; cause?: {code?: string}}
    const endpoint = conn.kube.endpoint
    if (typeof err.code === 'number') {
      let body: unknown = err.body
      if (typeof err.body === 'string') {
        const text = err.body
        try {
          body = JSON.parse(text)
        } catch {
          body = {message: text.slice(0, 300)}
        }
      }
      throw statusError(err.code, body, endpoint, target)
    }
    const sysCode = typeof err.code === 'string' ? err.code : err.cause?.code
    if (sysCode) {
      const {connectionError} = await import('../kube/errors.js')
      throw connectionError({code: sysCode, message: err.message ?? String(e)} as NodeJS.ErrnoException, endpoint, target)
    }
    if (e instanceof KubeError) throw e
    throw new KubeError('server', `${target.verb} ${target.resource} failed against context "${endpoint.contextName}" at ${endpoint.server}: ${err.message ?? String(e)}`)
  }
}
