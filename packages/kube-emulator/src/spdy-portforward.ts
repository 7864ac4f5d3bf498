// kubectl ≥1.31 port-forwards over a WebSocket that tunnels SPDY/3.1 (subprotocol
// "SPDY/3.1+portforward.k8s.io"): binary messages carry a plain SPDY byte stream. This is the minimal
// SPDY server side of it: SYN_STREAM/SYN_REPLY with zlib-compressed headers, DATA, PING, RST, GOAWAY.
import * as zlib from 'node:zlib'
import type {Duplex} from 'node:stream'
import type {WebSocket} from 'ws'
import type {KubeObject} from './types.js'
import type {PortLookup} from './behaviour.js'
import {connectPodPort, type PortConnection} from './pod-ports.js'

export const SPDY_PORTFORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io'

// The SPDY/3 header compression dictionary (draft-mbelshe-httpbis-spdy-00 §2.6.10.1):
// length-prefixed header names followed by common values.
const DICT_WORDS = ['options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
  'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding', 'content-language',
  'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag', 'expect', 'expires', 'from', 'host',
  'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'pragma',
  'proxy-authenticate', 'proxy-authorization', 'range', 'referer', 'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'user-agent', 'vary', 'via', 'warning', 'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public',
  'set-cookie', 'keep-alive', 'origin']
const DICT_TAIL = '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found' +
  '500 Internal Server Error501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ' +
  'Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,' +
  'text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.'

export const SPDY_DICTIONARY = Buffer.concat([
  ...DICT_WORDS.map((w) => { const b = Buffer.alloc(4 + w.length); b.writeUInt32BE(w.length); b.write(w, 4, 'latin1'); return b }),
  Buffer.from(DICT_TAIL, 'latin1'),
])

const SYN_STREAM = 1, SYN_REPLY = 2, RST_STREAM = 3, PING = 6, GOAWAY = 7
const FLAG_FIN = 1

/** A zlib stream used frame by frame with Z_SYNC_FLUSH, as SPDY's shared header compression context requires. */
class FlushingZlib {
  private chunks: Buffer[] = []
  private chain: Promise<unknown> = Promise.resolve()
  constructor(private z: zlib.Inflate | zlib.Deflate) { z.on('data', (c: Buffer) => this.chunks.push(c)); z.on('error', () => {}) }
  process(data: Buffer): Promise<Buffer> {
    const run = () => new Promise<Buffer>((resolve) => {
      this.z.write(data)
      this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => { const out = Buffer.concat(this.chunks); this.chunks = []; resolve(out) })
    })
    const p = this.chain.then(run)
    this.chain = p.catch(() => undefined)
    return p
  }
  close() { this.z.destroy() }
}

function parseHeaders(block: Buffer): Map<string, string> {
  const out = new Map<string, string>()
  let off = 0
  const n = block.readUInt32BE(off); off += 4
  for (let i = 0; i < n; i++) {
    const kl = block.readUInt32BE(off); off += 4
    const k = block.subarray(off, off + kl).toString('latin1'); off += kl
    const vl = block.readUInt32BE(off); off += 4
    const v = block.subarray(off, off + vl).toString('latin1'); off += vl
    out.set(k.toLowerCase(), v)
  }
  return out
}

function encodeHeaders(h: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [Buffer.alloc(4)]
  parts[0].writeUInt32BE(h.length)
  for (const [k, v] of h) for (const s of [k, v]) { const b = Buffer.alloc(4 + Buffer.byteLength(s)); b.writeUInt32BE(Buffer.byteLength(s)); b.write(s, 4); parts.push(b) }
  return Buffer.concat(parts)
}

function control(type: number, flags: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8)
  h.writeUInt16BE(0x8000 | 3, 0)
  h.writeUInt16BE(type, 2)
  h.writeUInt32BE((flags << 24) | body.length, 4)
  return Buffer.concat([h, body])
}

function dataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8)
  h.writeUInt32BE(streamId & 0x7fffffff, 0)
  h.writeUInt32BE((flags << 24) | payload.length, 4)
  return Buffer.concat([h, payload])
}

interface Pair {error?: number; data?: number; conn?: PortConnection; failed?: string}

/** A byte pipe carrying SPDY: WebSocket binary messages (tunnel) or the upgraded socket itself. */
export interface SpdyTransport {
  send(b: Buffer): void
  onData(cb: (b: Buffer) => void): void
  onClose(cb: () => void): void
  close(): void
}

export function webSocketTransport(ws: WebSocket): SpdyTransport {
  return {
    send: (b) => { if (ws.readyState === ws.OPEN) ws.send(b) },
    onData: (cb) => ws.on('message', (d: Buffer) => cb(Buffer.isBuffer(d) ? d : Buffer.from(d as ArrayBuffer))),
    onClose: (cb) => ws.on('close', cb),
    close: () => ws.close(1000),
  }
}

export function socketTransport(socket: Duplex): SpdyTransport {
  return {
    send: (b) => { if (!socket.destroyed) socket.write(b) },
    onData: (cb) => socket.on('data', cb),
    onClose: (cb) => socket.on('close', cb),
    close: () => socket.end(),
  }
}

export function handleSpdyTunnel(t: SpdyTransport, pod: KubeObject, ports: PortLookup): void {
  const inflate = new FlushingZlib(zlib.createInflate({dictionary: SPDY_DICTIONARY}))
  const deflate = new FlushingZlib(zlib.createDeflate({dictionary: SPDY_DICTIONARY}))
  let buf = Buffer.alloc(0)
  let chain: Promise<void> = Promise.resolve()
  const pairs = new Map<string, Pair>()
  const streamPair = new Map<number, Pair>()
  const send = (b: Buffer) => t.send(b)
  const finish = (id: number | undefined) => { if (id !== undefined) send(dataFrame(id, FLAG_FIN, Buffer.alloc(0))) }

  async function onSynStream(flags: number, body: Buffer) {
    const streamId = body.readUInt32BE(0) & 0x7fffffff
    const headers = parseHeaders(await inflate.process(body.subarray(10)))
    const reply = await deflate.process(encodeHeaders([]))
    const sid = Buffer.alloc(4); sid.writeUInt32BE(streamId)
    send(control(SYN_REPLY, 0, Buffer.concat([sid, reply])))
    const requestId = headers.get('requestid') ?? String(streamId)
    const port = Number(headers.get('port'))
    const pair = pairs.get(requestId) ?? {}
    pairs.set(requestId, pair)
    streamPair.set(streamId, pair)
    if (headers.get('streamtype') === 'error') {
      pair.error = streamId
      if (pair.failed) { send(dataFrame(streamId, 0, Buffer.from(pair.failed))); finish(streamId) }
    } else if (headers.get('streamtype') === 'data') {
      pair.data = streamId
      const c = connectPodPort(pod, port, ports(port), (d) => send(dataFrame(streamId, 0, d)), () => { finish(streamId); finish(pair.error) })
      if (typeof c === 'string') {
        pair.failed = c
        if (pair.error !== undefined) { send(dataFrame(pair.error, 0, Buffer.from(c))); finish(pair.error) }
        finish(streamId)
      } else pair.conn = c
    }
    void flags
  }

  async function onFrame(frame: Buffer) {
    const isControl = (frame[0] & 0x80) !== 0
    const flags = frame[4]
    const body = frame.subarray(8)
    if (!isControl) {
      const id = frame.readUInt32BE(0) & 0x7fffffff
      const pair = streamPair.get(id)
      if (pair && pair.data === id) {
        if (body.length) pair.conn?.write(body)
        if (flags & FLAG_FIN) pair.conn?.end()
      }
      return
    }
    const type = frame.readUInt16BE(2)
    if (type === SYN_STREAM) await onSynStream(flags, body)
    else if (type === PING) send(control(PING, 0, body.subarray(0, 4)))
    else if (type === RST_STREAM) streamPair.get(body.readUInt32BE(0) & 0x7fffffff)?.conn?.end()
    else if (type === GOAWAY) t.close()
  }

  t.onData((data) => {
    buf = Buffer.concat([buf, data])
    for (;;) {
      if (buf.length < 8) return
      const len = buf.readUInt32BE(4) & 0xffffff
      if (buf.length < 8 + len) return
      const frame = buf.subarray(0, 8 + len)
      buf = buf.subarray(8 + len)
      chain = chain.then(() => onFrame(frame)).catch(() => t.close())
    }
  })
  t.onClose(() => {
    for (const p of pairs.values()) p.conn?.end()
    inflate.close()
    deflate.close()
  })
}
