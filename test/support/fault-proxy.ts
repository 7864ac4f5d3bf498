// A loopback HTTPS front for the emulator that plays the failures the emulator itself has no hooks for: RBAC that
// allows pods but not pods/log or pods/portforward, and a pilot-agent that prints Envoy's error text with exit
// status 0. Everything else is passed through to the emulator unchanged.
import {writeFileSync} from 'node:fs'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {createServer, request as httpsRequest, type Server} from 'node:https'
import type {AddressInfo, Socket} from 'node:net'
import {connect} from 'node:tls'
import * as yaml from 'js-yaml'
import {WebSocketServer} from 'ws'
import type {Emulator} from './emulator.js'
import {generateTlsMaterial} from '@aerakictl/kube-emulator'

export interface FaultRules {
  refusePortForward?: boolean
  /** Answer pods/log with the API server's 403. */
  forbidLogs?: boolean
  /** What `pilot-agent request …` prints (exit 0) instead of running. */
  pilotAgentOutput?: string
  /** With pilotAgentOutput: after the exit status the server neither closes the exec stream nor answers a close. */
  pilotAgentIgnoresClose?: boolean
  /** The API server stops after this many writes (PATCH/POST/PUT/DELETE without dryRun): later requests get their connection reset. */
  stopAfterWrites?: number
  /** Requests whose method and path (`GET /api/v1/...`) match are never answered (a hung API server). */
  stall?: RegExp
  /** The API server is down: every request gets its connection reset (counted in `refused`). */
  down?: boolean
  /** Every request is answered with this status and a metav1.Status body (401: credentials no longer accepted). */
  answerAll?: 401 | 403
  /** Requests whose method and path match wait, unanswered, until `release()` passes them on (a slow API server). */
  hold?: RegExp
}

export interface FaultProxy {
  url: string
  rules: FaultRules
  seen: string[]
  /** Writes passed through to the emulator (counted for stopAfterWrites). */
  writes: number
  /** Requests held by `stall`, answered never. */
  stalled: number
  /** Requests reset by `down` or stopAfterWrites. */
  refused: number
  /** Requests held by `hold` so far (released or not). */
  held: number
  /** Passes the held requests on to the emulator, and lets the later ones through (the `hold` rule is dropped). */
  release(): void
  /** Connections from the client open now (a stream the client gave up is closed). */
  openConnections(): number
  /** Ends every open connection (streams included), as an API server restart does. */
  dropConnections(): void
  /**
   * From the next connection on, serves a certificate of a new CA, which the kubeconfig does not trust: an API server
   * restarted with a new CA.
   */
  replaceCa(): void
  kubeconfigYaml(namespace: string): string
  /** Writes kubeconfigYaml(namespace) to `path` and returns the path. */
  writeKubeconfig(path: string, namespace: string): string
  close(): Promise<void>
}


export async function startFaultProxy(emu: Emulator, rules: FaultRules = {}): Promise<FaultProxy> {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const wss = new WebSocketServer({noServer: true, handleProtocols: (set) => (set.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false)})
  // HTTPS with its own CA, as a real API server.
  const tls = generateTlsMaterial()
  const server: Server = createServer({cert: tls.server.certPem, key: tls.server.keyPem}, (req, res) => {
    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log(\?|$)/.exec(req.url ?? '')
    if (log && proxy.rules.forbidLogs) {
      const body = JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
        details: {name: log[2], kind: 'pods'},
        message: `pods "${log[2]}" is forbidden: User "log-reader-denied" cannot get resource "pods/log" in API group "" in the namespace "${log[1]}"`})
      res.writeHead(403, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)})
      res.end(body)
      return
    }
    const isWrite = req.method !== 'GET' && !/[?&]dryRun=/.test(req.url ?? '')
    if (proxy.rules.down || (proxy.rules.stopAfterWrites !== undefined && (proxy.writes >= proxy.rules.stopAfterWrites))) {
      proxy.refused++
      req.socket.destroy()
      return
    }
    if (proxy.rules.answerAll) {
      const code = proxy.rules.answerAll
      const reason = code === 401 ? 'Unauthorized' : 'Forbidden'
      const body = JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, code, message: reason})
      res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)})
      res.end(body)
      return
    }
    if (proxy.rules.stall?.test(`${req.method} ${req.url}`)) {
      proxy.stalled++
      return
    }
    if (isWrite) proxy.writes++
    if (proxy.rules.hold?.test(`${req.method} ${req.url}`)) {
      proxy.held++
      held.push(() => pass(req, res))
      return
    }
    pass(req, res)
  })
  const held: Array<() => void> = []
  function pass(req: IncomingMessage, res: ServerResponse): void {
    const upstream = httpsRequest({host: '127.0.0.1', port: emu.port, path: req.url, method: req.method, headers: req.headers, ca: emu.caPem}, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
      res.on('close', () => up.destroy())
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  }
  // Every TCP connection from its start (a TLS handshake under way included), so close() leaves none behind: a
  // server.close() that waits for one connection a client opened meanwhile would hold the test that called it.
  let closing = false
  server.on('connection', (s: Socket) => {
    if (closing) return void s.destroy()
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://x')
    seen.push(url.pathname.endsWith('/portforward') ? 'portforward' : `exec ${url.searchParams.getAll('command').join(' ')}`)
    if (proxy.rules.refusePortForward && url.pathname.endsWith('/portforward')) {
      const [, , , ns, , pod] = url.pathname.split('/')
      const body = JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
        message: `pods "${pod}" is forbidden: User "aerakictl-playground-admin" cannot create resource "pods/portforward" in API group "" in the namespace "${ns}"`})
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
      return
    }
    if (proxy.rules.pilotAgentOutput !== undefined && url.searchParams.get('command') === 'pilot-agent') {
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(proxy.rules.pilotAgentOutput!)]))
        ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify({metadata: {}, status: 'Success'}))]))
        // pause(): what the client sends is no longer read, so its close frame is never answered
        if (proxy.rules.pilotAgentIgnoresClose) ws.pause()
        else ws.close(1000)
      })
      return
    }
    const up = connect({host: '127.0.0.1', port: emu.port, ca: emu.caPem, servername: '127.0.0.1'}, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`]
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`)
      up.write(lines.join('\r\n') + '\r\n\r\n')
      if (head.length) up.write(head)
      up.pipe(socket)
      socket.pipe(up)
    })
    up.on('error', () => socket.destroy())
    socket.on('error', () => up.destroy())
    sockets.add(up)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  const proxy: FaultProxy = {
    url, rules, seen, writes: 0, stalled: 0, refused: 0, held: 0,
    release() {
      delete proxy.rules.hold
      for (const go of held.splice(0)) go()
    },
    openConnections: () => sockets.size,
    dropConnections() {
      for (const c of wss.clients) c.terminate()
      for (const s of sockets) s.destroy()
    },
    replaceCa() {
      const next = generateTlsMaterial()
      server.setSecureContext({cert: next.server.certPem, key: next.server.keyPem})
    },
    kubeconfigYaml(namespace) {
      const name = 'fault-proxy'
      return yaml.dump({
        apiVersion: 'v1', kind: 'Config', 'current-context': name,
        clusters: [{name, cluster: {server: url, 'certificate-authority-data': Buffer.from(tls.ca.certPem).toString('base64')}}],
        users: [{name, user: {token: emu.token}}],
        contexts: [{name, context: {cluster: name, user: name, namespace}}],
      })
    },
    writeKubeconfig(path, namespace) {
      writeFileSync(path, proxy.kubeconfigYaml(namespace))
      return path
    },
    async close() {
      closing = true
      for (const c of wss.clients) c.terminate()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return proxy
}
