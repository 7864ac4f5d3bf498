// A connection to a pod port: the container behaviour that listens there answers HTTP/1.1 (keep-alive, pipelined,
// `Connection: close` honoured); a port nobody listens on refuses the connection as the kubelet reports it.
import type {HttpHandler, HttpResponse} from './behaviour.js'
import type {KubeObject} from './types.js'

const STATUS_TEXT: Record<number, string> = {200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 503: 'Service Unavailable'}

export interface PortConnection {
  write(data: Buffer): void
  end(): void
}

/** Opens a connection to a pod port; returns an error text when nothing listens there. */
export function connectPodPort(pod: KubeObject, port: number, handler: HttpHandler | undefined, send: (data: Buffer) => void, close: () => void): PortConnection | string {
  if (!handler) {
    return `error forwarding port ${port} to pod ${pod.metadata?.uid}, uid : failed to execute portforward in network namespace: failed to connect to localhost:${port} inside namespace: connection refused`
  }
  let pending = Buffer.alloc(0)
  let closed = false
  return {
    write(data) {
      if (closed) return
      pending = Buffer.concat([pending, data])
      for (;;) {
        const end = pending.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = pending.subarray(0, end).toString('latin1')
        const lines = head.split('\r\n')
        const [method, target] = lines[0].split(' ')
        const headers = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
        const bodyLen = Number(headers.get('content-length') ?? 0)
        if (pending.length < end + 4 + bodyLen) return
        const body0 = pending.subarray(end + 4, end + 4 + bodyLen)
        pending = pending.subarray(end + 4 + bodyLen)
        let r: HttpResponse
        try {
          r = handler({method, target: target ?? '/', headers, body: body0})
        } catch (e) {
          r = {status: 500, contentType: 'text/plain', body: `${(e as Error).message}\n`}
        }
        const body = Buffer.from(method === 'HEAD' ? '' : r.body)
        const closeAfter = headers.get('connection')?.toLowerCase() === 'close'
        send(Buffer.from(`HTTP/1.1 ${r.status} ${STATUS_TEXT[r.status] ?? 'Error'}\r\ncontent-type: ${r.contentType}\r\ncontent-length: ${body.length}\r\ndate: ${new Date().toUTCString()}\r\n${Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('')}${closeAfter ? 'connection: close\r\n' : ''}\r\n`))
        send(body)
        if (closeAfter) { closed = true; close(); return }
      }
    },
    end() { closed = true },
  }
}
