// Exec and port-forward over WebSocket without @kubernetes/client-node (the `ws` module is imported on
// demand): enough to run `pilot-agent request GET config_dump` in a sidecar, or to GET the admin port
// through port-forward the way istioctl does.
import type {KubeClient} from './client.js'
import {KubeError, type RequestTarget} from './errors.js'

export interface ExecResult {
  stdout: string
  stderr: string
  exitCode: number
}

async function open(kube: KubeClient, path: string, query: Record<string, string | string[]>, protocols: string[], target: RequestTarget) {
  const {default: WebSocket} = await import('ws')
  const {url, options} = await kube.upgradeTarget(path, query)
  return new Promise<import('ws').WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options)
    ws.on('open', () => resolve(ws))
    ws.on('unexpected-response', (_req, res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c))
      res.on('end', () => reject(kube.upgradeError(res.statusCode ?? 0, text, target)))
    })
    ws.on('error', (e: NodeJS.ErrnoException) => reject(kube.connectionError(e, target)))
  })
}

/** Runs a command in a container; resolves with its output and exit code (v5/v4 channel protocol). */
export async function execInPod(kube: KubeClient, namespace: string, pod: string, container: string | undefined, command: string[], opts: {timeoutMs?: number} = {}): Promise<ExecResult> {
  const target: RequestTarget = {verb: 'create', resource: 'pods/exec', namespace, name: pod}
  const ws = await open(kube, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/exec`,
    {command, stdout: 'true', stderr: 'true', ...(container ? {container} : {})}, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], target)
  const out: Buffer[] = [], err: Buffer[] = []
  let status: any
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { ws.terminate(); reject(new KubeError('timeout', `exec of "${command.join(' ')}" in ${namespace}/${pod} did not finish within ${(opts.timeoutMs ?? 60_000) / 1000}s`)) }, opts.timeoutMs ?? 60_000)
    ws.on('message', (d: Buffer) => {
      const ch = d[0], payload = d.subarray(1)
      if (ch === 1) out.push(payload)
      else if (ch === 2) err.push(payload)
      else if (ch === 3) { try { status = JSON.parse(payload.toString()) } catch { status = {status: 'Failure', message: payload.toString()} } }
    })
    ws.on('close', () => {
      clearTimeout(timer)
      const stdout = Buffer.concat(out).toString(), stderr = Buffer.concat(err).toString()
      if (!status) return reject(new KubeError('stream-cut', `exec in ${namespace}/${pod} ended without an exit status`))
      if (status.status === 'Success') return resolve({stdout, stderr, exitCode: 0})
      const code = Number(status.details?.causes?.find((c: any) => c.reason === 'ExitCode')?.message)
      if (Number.isInteger(code)) return resolve({stdout, stderr, exitCode: code})
      reject(new KubeError('server', `exec in ${namespace}/${pod} failed: ${status.message ?? 'unknown error'}`))
    })
  })
}

/**
 * Sends one plain HTTP GET to a pod port through port-forward and returns the response (istioctl's way of
 * reading a sidecar's admin port, which also works on distroless proxies without curl).
 */
export async function portForwardGet(kube: KubeClient, namespace: string, pod: string, port: number, path: string, opts: {timeoutMs?: number} = {}): Promise<{status: number; headers: Record<string, string>; body: string}> {
  const target: RequestTarget = {verb: 'create', resource: 'pods/portforward', namespace, name: pod}
  const ws = await open(kube, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`, {ports: String(port)}, ['v4.channel.k8s.io', 'portforward.k8s.io'], target)
  const seen = [false, false]
  const data: Buffer[] = [], errs: Buffer[] = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { ws.terminate(); reject(new KubeError('timeout', `GET ${path} on ${namespace}/${pod}:${port} did not finish within ${(opts.timeoutMs ?? 30_000) / 1000}s`)) }, opts.timeoutMs ?? 30_000)
    const finish = (e?: KubeError) => {
      clearTimeout(timer)
      ws.close()
      if (e) return reject(e)
      const raw = Buffer.concat(data)
      const split = raw.indexOf('\r\n\r\n')
      if (split < 0) return reject(new KubeError('stream-cut', `no HTTP response from ${namespace}/${pod}:${port}${errs.length ? `: ${Buffer.concat(errs).toString()}` : ''}`))
      const head = raw.subarray(0, split).toString('latin1').split('\r\n')
      const headers = Object.fromEntries(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
      resolve({status: Number(head[0].split(' ')[1]), headers, body: raw.subarray(split + 4).toString('utf8')})
    }
    const complete = () => {
      const raw = Buffer.concat(data)
      const split = raw.indexOf('\r\n\r\n')
      if (split < 0) return false
      const len = /\r\ncontent-length:\s*(\d+)/i.exec(raw.subarray(0, split).toString('latin1'))
      return len ? raw.length - split - 4 >= Number(len[1]) : false
    }
    ws.on('message', (d: Buffer) => {
      const ch = d[0]
      let payload = d.subarray(1)
      if (ch > 1) return
      if (!seen[ch]) { seen[ch] = true; payload = payload.subarray(2) } // each channel opens with its port number
      if (ch === 1) {
        if (payload.length) errs.push(payload)
        if (payload.length) finish(new KubeError('server', `port-forward to ${namespace}/${pod}:${port} failed: ${Buffer.concat(errs).toString()}`))
        return
      }
      data.push(payload)
      if (complete()) finish()
    })
    ws.on('close', () => finish())
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: aerakictl\r\nAccept: */*\r\nConnection: close\r\n\r\n`)]))
  })
}
