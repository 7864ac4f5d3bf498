// GET pods/{name}/log: tailLines, sinceSeconds, sinceTime, timestamps, limitBytes, follow, and the
// API server's 400s for a missing/waiting container and for previous=true.
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {ResourceRequest} from './requests.js'
import type {ServerContext} from './server.js'
import {badRequest} from './status.js'
import type {LogLine} from './logs.js'

export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')
}

export function serveLogs(ctx: ServerContext, r: ResourceRequest, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
  const pod = ctx.cluster.get(r.type, r.namespace, r.name!)
  const name = pod.metadata!.name!
  const containers: string[] = ((pod.spec as any)?.containers ?? []).map((c: any) => c.name)
  let container = q.get('container') || ''
  if (!container) {
    if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`)
    container = containers[0]
  }
  if (!containers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`)
  if (q.get('previous') === 'true') throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`)
  const status = ((pod.status as any)?.containerStatuses ?? []).find((c: any) => c.name === container)
  const waiting = status?.state?.waiting
  if (!status || waiting) {
    const reason = waiting?.reason === 'ImagePullBackOff' || waiting?.reason === 'ErrImagePull' ? 'trying and failing to pull image' : waiting?.reason ?? 'ContainerCreating'
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`)
  }
  const buf = ctx.logs.buffer(r.namespace!, name, container)
  let lines: LogLine[] = buf.lines
  const sinceSeconds = q.get('sinceSeconds')
  const sinceTime = q.get('sinceTime')
  if (sinceSeconds && sinceTime) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified')
  const since = sinceSeconds ? Date.now() - Number(sinceSeconds) * 1000 : sinceTime ? Date.parse(sinceTime) : undefined
  if (since !== undefined && Number.isNaN(since)) throw badRequest(`invalid sinceTime ${JSON.stringify(sinceTime)}`)
  if (since !== undefined) lines = lines.filter((l) => l.time.getTime() >= since)
  const tail = q.get('tailLines')
  if (tail !== null) {
    const n = Number(tail)
    if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid tailLines ${JSON.stringify(tail)}`)
    lines = n === 0 ? [] : lines.slice(-n)
  }
  const timestamps = q.get('timestamps') === 'true'
  const limitBytes = q.get('limitBytes') ? Number(q.get('limitBytes')) : Infinity
  const follow = q.get('follow') === 'true'
  const cut = ctx.faults.takeLogCut(name)
  res.writeHead(200, {'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked'})
  // client-node's log() only resolves when the headers arrive (toolchain §4).
  res.flushHeaders()
  let written = 0, bytes = 0, done = false
  const format = (l: LogLine) => `${timestamps ? `${rfc3339Nano(l.time)} ` : ''}${l.text}\n`
  let unsubscribe = () => {}
  // Lines are coalesced per event-loop turn: one TLS write per burst instead of one per line.
  let pending = ''
  let flushScheduled = false
  const flush = () => { flushScheduled = false; if (pending && !res.writableEnded) res.write(pending); pending = '' }
  const write = (text: string) => { pending += text; if (!flushScheduled) { flushScheduled = true; setImmediate(flush) } }
  const finish = () => { if (done) return; done = true; unsubscribe(); flush(); if (!res.writableEnded) res.end() }
  const emit = (l: LogLine) => {
    if (done) return
    const text = format(l)
    if (cut && written >= cut.afterLines) {
      done = true
      unsubscribe()
      flush()
      res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))), () => res.socket?.destroy())
      return
    }
    if (bytes + text.length > limitBytes) { write(text.slice(0, limitBytes - bytes)); finish(); return }
    bytes += text.length
    written++
    write(text)
  }
  for (const l of lines) emit(l)
  if (!follow || done) { finish(); return }
  unsubscribe = buf.follow(emit, finish)
  req.on('close', finish)
  res.on('close', finish)
}
