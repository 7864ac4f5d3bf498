// What listens on a pod's ports in the playground: the sidecar admin (15000) and health (15021) ports
// speak plain HTTP/1.1; anything else refuses the connection.
import type {KubeObject} from '../resources/types.js'
import type {Cluster} from './cluster.js'
import {adminRequest, type AdminResponse} from './sidecar-admin.js'

export interface PortConnection {
  write(data: Buffer): void
  end(): void
}

/** Opens a connection to a pod port; returns an error text when nothing listens there. */
export function connectPodPort(cluster: Cluster, pod: KubeObject, port: number, send: (data: Buffer) => void, close: () => void): PortConnection | string {
  const hasSidecar = ((pod.spec as any)?.containers ?? []).some((c: any) => c.name === 'istio-proxy')
  if (!hasSidecar || (port !== 15000 && port !== 15021)) {
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
        pending = pending.subarray(end + 4 + bodyLen)
        const r: AdminResponse = method === 'GET' || method === 'HEAD'
          ? (port === 15021 ? {status: 200, contentType: 'text/plain', body: ''} : adminRequest(cluster, pod, target ?? '/'))
          : {status: 405, contentType: 'text/plain', body: 'method not allowed\n'}
        const body = Buffer.from(method === 'HEAD' ? '' : r.body)
        const closeAfter = headers.get('connection')?.toLowerCase() === 'close'
        send(Buffer.from(`HTTP/1.1 ${r.status} ${r.status === 200 ? 'OK' : r.status === 404 ? 'Not Found' : 'Error'}\r\ncontent-type: ${r.contentType}\r\ncontent-length: ${body.length}\r\ndate: ${new Date().toUTCString()}\r\nserver: envoy\r\n${closeAfter ? 'connection: close\r\n' : ''}\r\n`))
        send(body)
        if (closeAfter) { closed = true; close(); return }
      }
    },
    end() { closed = true },
  }
}
