// client-node's WebSocketHandler turns a refused upgrade (403, 404, 400 …) into "Unexpected server response: 403"
// and drops the Status body, which is the part that says what was refused. This handler does the same job for
// client-node's Exec and PortForward (it implements their WebSocketInterface) but keeps that answer, so exec and
// port-forward failures can name verb, resource and namespace like the REST calls do.
import type {IncomingMessage} from 'node:http'
import type {KubeConfig} from '@kubernetes/client-node'
import WebSocket from 'ws'
import {connectionError, KubeError, redact, statusError, type Endpoint, type RequestTarget} from '../kube/errors.js'

export interface UpgradeRefusal {
  status: number
  body: unknown
}

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']

export class CapturingWebSocketHandler {
  /** The API server's answer when it refused the upgrade. */
  refusal: UpgradeRefusal | undefined

  constructor(private readonly kc: KubeConfig) {}

  async connect(path: string, _text: ((text: string) => boolean) | null, binaryHandler: ((stream: number, buff: Buffer) => boolean) | null): Promise<WebSocket> {
    const cluster = this.kc.getCurrentCluster()
    if (!cluster) throw new Error('No cluster is defined.')
    const uri = cluster.server.replace(/^http(s?):\/\//, 'ws$1://').replace(/\/$/, '') + path
    const opts: WebSocket.ClientOptions = {}
    await this.kc.applyToHTTPSOptions(opts as never)
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(uri, PROTOCOLS, opts)
      let opened = false
      ws.on('unexpected-response', (_req, res: IncomingMessage) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => { if (text.length < 4096) text += c })
        res.on('end', () => {
          let body: unknown
          try { body = JSON.parse(text) } catch { body = text ? {message: text.trim().slice(0, 500)} : undefined }
          this.refusal = {status: res.statusCode ?? 0, body}
          // Terminating a connecting socket makes ws emit 'error', which rejects below.
          ws.terminate()
        })
      })
      ws.on('open', () => { opened = true; resolve(ws) })
      ws.on('error', (err) => { if (!opened) reject(err) })
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary || !binaryHandler) return
        if (!binaryHandler(data.readUInt8(0), data.subarray(1))) ws.close()
      })
    })
  }
}

/** The error to show for a failed exec/port-forward connection: the API's own answer when there was one. */
export function upgradeError(err: unknown, refusal: UpgradeRefusal | undefined, ep: Endpoint, target: RequestTarget, secrets: Array<string | undefined>): KubeError {
  const scrub = (e: KubeError) => new KubeError(e.kind, redact(e.message, secrets), e.status, e.reason)
  if (refusal) return scrub(statusError(refusal.status, refusal.body, ep, target))
  if ((err as NodeJS.ErrnoException)?.code) return scrub(connectionError(err as NodeJS.ErrnoException, ep, target))
  const message = (err as Error)?.message ?? String(err)
  return scrub(new KubeError('server', `cannot ${target.verb} ${target.resource} "${target.name}" in ${target.namespace}: ${message}`))
}
