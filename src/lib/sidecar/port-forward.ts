// GET on a pod port through the portforward subresource, the way istioctl reads the Envoy admin API: client-node's
// PortForward (WebSocket) carries one HTTP/1.1 request to the pod's port, and Node's own HTTP client writes it and
// parses the answer (chunked bodies included). The HTTP client runs on an in-memory stream pair handed to it as its
// connection (http.request's createConnection) instead of a loopback listener: no port on the machine that another
// local user could connect to while the request runs, and no listen and connect per request.
import {request} from 'node:http'
import {Duplex, PassThrough, Writable} from 'node:stream'
import type {KubeConfig} from '@kubernetes/client-node'
import {KubeError, type Endpoint} from '../kube/errors.js'
import {CapturingWebSocketHandler, upgradeError} from './upgrade-errors.js'

export interface PortForwardTarget {
  kc: KubeConfig
  endpoint: Endpoint
  secrets: Array<string | undefined>
  namespace: string
  pod: string
  port: number
  timeoutMs: number
}

export interface HttpAnswer {
  status: number
  contentType: string
  body: Buffer
}

/** Error text the kubelet sends on a port's error channel (e.g. "connection refused" inside the pod). */
export class PortForwardRefused extends KubeError {
  constructor(message: string) {
    super('server', message)
  }
}

export function httpGetViaPortForward(t: PortForwardTarget, path: string): Promise<HttpAnswer> {
  return httpViaPortForward(t, 'GET', path)
}

/** One HTTP request (GET, or POST with an empty body as Envoy's mutating admin paths want) through a port-forward. */
export async function httpViaPortForward(t: PortForwardTarget, method: 'GET' | 'POST', path: string): Promise<HttpAnswer> {
  const {PortForward} = await import('../kube/client-node-core.js')
  const target = {verb: 'create', resource: 'pods/portforward', namespace: t.namespace, name: t.pod}
  let fail: (e: Error) => void = () => {}
  const failed = new Promise<never>((_r, reject) => { fail = reject })
  failed.catch(() => {})

  // What the HTTP client writes goes to the pod (toPod), what the pod sends comes back to it (fromPod).
  const toPod = new PassThrough()
  const fromPod = new PassThrough()
  const connection = Duplex.from({readable: fromPod, writable: toPod})
  const handler = new CapturingWebSocketHandler(t.kc)
  let errorText = ''
  const errors = new Writable({write(chunk, _e, cb) {
    errorText += chunk.toString()
    // The first frame of the error channel only carries the port number, which client-node strips.
    if (errorText.trim() !== '') fail(new PortForwardRefused(`port-forward to ${t.namespace}/${t.pod}:${t.port} failed: ${errorText.trim()}`))
    cb()
  }})
  let socket: {close(): void} | undefined
  let finished = false
  new PortForward(t.kc, true, handler)
    .portForward(t.namespace, t.pod, [t.port], fromPod, errors, toPod)
    .then((ws) => {
      const w = ws as unknown as {on(ev: 'close', f: () => void): void; close(): void}
      socket = w
      w.on('close', () => fromPod.end())
      if (finished) w.close() // the request failed or timed out before the tunnel was up
    })
    .catch((e: unknown) => {
      fromPod.destroy()
      fail(upgradeError((e as {error?: unknown})?.error ?? e, handler.refusal, t.endpoint, target, t.secrets))
    })
  let timer: NodeJS.Timeout | undefined
  try {
    const answer = new Promise<HttpAnswer>((resolve, reject) => {
      const req = request({host: '127.0.0.1', port: t.port, path, method, createConnection: () => connection, headers: {connection: 'close', accept: 'application/json', ...(method === 'POST' ? {'content-length': '0'} : {})}}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks)}))
        res.on('error', reject)
      })
      req.on('error', (e) => reject(new KubeError('stream-cut', `the port-forward tunnel to ${t.namespace}/${t.pod}:${t.port} closed before Envoy answered (${e.message})`)))
      req.end()
      failed.catch(() => req.destroy())
    })
    answer.catch(() => {}) // the race below reports the first failure; later ones are expected
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new KubeError('timeout', `port-forward ${method} ${path} on ${t.namespace}/${t.pod}:${t.port} gave no answer within ${t.timeoutMs} ms`)), t.timeoutMs)
    })
    return await Promise.race([answer, failed, timeout])
  } finally {
    clearTimeout(timer)
    finished = true
    socket?.close()
    connection.destroy()
  }
}
