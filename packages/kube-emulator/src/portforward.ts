// pods/portforward over WebSocket as client-node's PortForward uses it: per port, data channel 2i and
// error channel 2i+1, each opened by a frame carrying the port number (uint16, little-endian).
import type {WebSocket} from 'ws'
import type {KubeObject} from './types.js'
import type {PortLookup} from './behaviour.js'
import {connectPodPort} from './pod-ports.js'

export const PORTFORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'portforward.k8s.io']

export function runPortForward(ws: WebSocket, pod: KubeObject, lookup: PortLookup, ports: number[]): void {
  const frame = (ch: number, data: Buffer) => { if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), data])) }
  const portBytes = (p: number) => Buffer.from([p & 0xff, (p >> 8) & 0xff])
  const conns = ports.map((port, i) => {
    frame(2 * i, portBytes(port))
    frame(2 * i + 1, portBytes(port))
    const c = connectPodPort(pod, port, lookup(port), (d) => frame(2 * i, d), () => ws.close(1000))
    if (typeof c === 'string') { frame(2 * i + 1, Buffer.from(c)); return undefined }
    return c
  })
  ws.on('message', (data: Buffer) => {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer)
    const ch = buf[0]
    if (ch % 2 === 0) conns[ch / 2]?.write(buf.subarray(1))
  })
  ws.on('close', () => { for (const c of conns) c?.end() })
}
