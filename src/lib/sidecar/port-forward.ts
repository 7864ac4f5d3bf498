// GET on a pod port through the portforward subresource, the way istioctl reads the Envoy admin API: a
// loopback listener on an ephemeral port whose connections are tunnelled (client-node PortForward, WebSocket)
// to the pod, and a plain HTTP/1.1 request on it, so Node's own HTTP parser handles chunked answers.
import {request} from 'node:http'
import {createServer, type AddressInfo, type Socket} from 'node:net'
import {Writable} from 'node:stream'
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
  const {PortForward} = await import('@kubernetes/client-node')
  const sockets = new Set<Socket>()
  const target = {verb: 'create', resource: 'pods/portforward', namespace: t.namespace, name: t.pod}
  let fail: (e: Error) => void = () => {}
  const failed = new Promise<never>((_r, reject) => { fail = reject })
  failed.catch(() => {})

  const server = createServer((sock) => {
    sockets.add(sock)
    sock.on('close', () => sockets.delete(sock))
    const handler = new CapturingWebSocketHandler(t.kc)
    let errorText = ''
    const errors = new Writable({write(chunk, _e, cb) {
      errorText += chunk.toString()
      // The first frame of the error channel only carries the port number, which client-node strips.
      if (errorText.trim() !== '') fail(new PortForwardRefused(`port-forward to ${t.namespace}/${t.pod}:${t.port} failed: ${errorText.trim()}`))
      cb()
    }})
    new PortForward(t.kc, true, handler)
      .portForward(t.namespace, t.pod, [t.port], sock, errors, sock)
      .then((ws) => {
        const w = ws as unknown as {on(ev: 'close', f: () => void): void; close(): void}
        w.on('close', () => sock.end())
        sock.on('close', () => w.close())
      })
      .catch((e: unknown) => {
        sock.destroy()
        fail(upgradeError((e as {error?: unknown})?.error ?? e, handler.refusal, t.endpoint, target, t.secrets))
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const localPort = (server.address() as AddressInfo).port
  let timer: NodeJS.Timeout | undefined
  try {
    const answer = new Promise<HttpAnswer>((resolve, reject) => {
      const req = request({host: '127.0.0.1', port: localPort, path, method, agent: false, headers: {connection: 'close', accept: 'application/json', ...(method === 'POST' ? {'content-length': '0'} : {})}}, (res) => {
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
    for (const s of sockets) s.destroy()
    server.close()
  }
}
