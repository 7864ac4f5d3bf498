// The emulator proper: an in-process Kubernetes API server on 127.0.0.1 over HTTPS with a fresh CA. The public entry
// (./index.ts) starts it without test hooks; ./testing.ts adds fault injection and a namespace-limited token.
import {randomBytes} from 'node:crypto'
import type {IncomingMessage} from 'node:http'
import {createServer, type Server} from 'node:https'
import type {AddressInfo, Socket} from 'node:net'
import type {Duplex} from 'node:stream'
import * as yaml from 'js-yaml'
import {WebSocketServer} from 'ws'
import {Cluster} from './cluster.js'
import {Controllers} from './controllers.js'
import type {EmulatorPlugin} from './behaviour.js'
import {Containers} from './containers.js'
import {EXEC_PROTOCOLS, runExec} from './exec.js'
import {NO_FAULTS, type FaultHooks} from './hooks.js'
import {Logs} from './logs.js'
import {PORTFORWARD_PROTOCOLS, runPortForward} from './portforward.js'
import {authorize, parseRequest, type User} from './requests.js'
import {seedCluster} from './seed.js'
import {authenticate, handleRequest, type ServerContext} from './server.js'
import {ApiError, badRequest} from './status.js'
import {generateTlsMaterial, issueClientCert} from './x509.js'
import {handleSpdyTunnel, socketTransport, SPDY_PORTFORWARD_PROTOCOL, webSocketTransport} from './spdy-portforward.js'

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number
  /** Time from pod creation to Running (default 1000 ms). */
  podStartDelayMs?: number
  /** What the emulated cluster runs beyond the Kubernetes API: seed objects, admission, container behaviours. */
  plugins?: EmulatorPlugin[]
  /** Interval of BOOKMARK events on watches that allow them (default 10 s). */
  bookmarkIntervalMs?: number
  /** Called once per finished request (method, path with query, status, milliseconds), e.g. for a request log. */
  onRequest?: (entry: {method: string; url: string; status: number; ms: number; upgrade?: boolean}) => void
}

export interface KubeconfigOptions {
  token?: string
  /** Authenticate with a client certificate for this playground user (e.g. "aerakictl-playground-admin") instead of a token. */
  clientCertUser?: string
  context?: string
  namespace?: string
}

export interface Emulator {
  url: string
  port: number
  caPem: string
  /** The admin user's bearer token. */
  token: string
  kubeconfigYaml(opts?: KubeconfigOptions): string
  state: {cluster: Cluster; logs: Logs}
  close(): Promise<void>
}

/** Test-only knobs (see ./testing.ts). */
export interface TestHooks {
  faults: FaultHooks
  /** Called with the function that expires every open watch. */
  onExpireWatches(expire: () => number): void
  /** Namespaces of an extra, RBAC-limited user, and its token. */
  limited?: {token: string; namespaces: string[]}
}

export const DEFAULT_CONTEXT = 'aerakictl-playground'

function rejectUpgrade(socket: Duplex, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError(500, 'InternalError', (err as Error).message)
  const body = JSON.stringify(e.toStatus())
  socket.end(`HTTP/1.1 ${e.code} ${e.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

export async function startEmulatorWith(options: EmulatorOptions, hooks?: TestHooks): Promise<Emulator> {
  const tls = generateTlsMaterial()
  const token = randomBytes(24).toString('base64url')
  const users = new Map<string, User>([[token, {name: 'aerakictl-playground-admin'}]])
  if (hooks?.limited) users.set(hooks.limited.token, {name: 'aerakictl-playground-limited', namespaces: hooks.limited.namespaces})
  const faults = hooks?.faults ?? NO_FAULTS
  const plugins = options.plugins ?? []
  const cluster = new Cluster()
  const logs = new Logs()
  const controllers = new Controllers(cluster, {podStartDelayMs: options.podStartDelayMs ?? 1000, failingImages: faults.failingImages})
  const containers = new Containers(cluster, logs, plugins)
  const ctx: ServerContext = {cluster, logs, faults, users, watches: new Set(), bookmarkIntervalMs: options.bookmarkIntervalMs}
  hooks?.onExpireWatches(() => {
    const open = [...ctx.watches]
    cluster.store.compact()
    for (const w of open) w.expire()
    return open.length
  })
  seedCluster(cluster)
  for (const p of plugins) p.install?.({cluster, logs})

  const sockets = new Set<Socket>()
  // Client certificates are optional: requested, verified against the CA, and used when no token is sent.
  const server: Server = createServer({cert: tls.server.certPem, key: tls.server.keyPem, ca: tls.ca.certPem, requestCert: true, rejectUnauthorized: false}, (req, res) => {
    if (options.onRequest) {
      const t0 = Date.now()
      res.on('finish', () => options.onRequest!({method: req.method ?? 'GET', url: req.url ?? '/', status: res.statusCode, ms: Date.now() - t0}))
    }
    void handleRequest(ctx, req, res)
  })
  server.on('secureConnection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  const pick = (offered: Set<string>, ours: string[]) => ours.find((p) => offered.has(p)) ?? false
  const execWss = new WebSocketServer({noServer: true, handleProtocols: (set) => pick(set, EXEC_PROTOCOLS)})
  const pfWss = new WebSocketServer({noServer: true, handleProtocols: (set) => pick(set, [SPDY_PORTFORWARD_PROTOCOL, ...PORTFORWARD_PROTOCOLS])})

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    options.onRequest?.({method: req.method ?? 'GET', url: req.url ?? '/', status: 101, ms: 0, upgrade: true})
    try {
      const url = new URL(req.url ?? '/', 'https://x')
      const user = authenticate(ctx, req)
      const r = parseRequest(cluster.registry, 'GET', url.pathname, url.searchParams)
      if (r.kind !== 'resource' || (r.subresource !== 'exec' && r.subresource !== 'portforward')) throw badRequest('upgrade is only supported for pods/exec and pods/portforward')
      authorize(user, {...r, verb: 'create'})
      const upgrade = (req.headers.upgrade ?? '').toLowerCase()
      const spdy = upgrade === 'spdy/3.1' && r.subresource === 'portforward'
      if (upgrade !== 'websocket' && !spdy) throw badRequest(`the playground supports Upgrade: websocket (and SPDY/3.1 for port-forward), not ${req.headers.upgrade}`)
      const pod = cluster.get(r.type, r.namespace, r.name!)
      const phase = (pod.status as any)?.phase
      if (phase !== 'Running') throw badRequest(`pod ${pod.metadata!.name} is not running (phase ${phase ?? 'Pending'})`)
      const offered = new Set(String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()))
      if (r.subresource === 'exec') {
        const names: string[] = ((pod.spec as any)?.containers ?? []).map((c: any) => c.name)
        const container = url.searchParams.get('container') || (names.length === 1 ? names[0] : (pod.metadata?.annotations as any)?.['kubectl.kubernetes.io/default-container'] ?? names[0])
        if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${pod.metadata!.name}`)
        const argv = url.searchParams.getAll('command')
        if (argv.length === 0) throw badRequest('you must specify at least 1 command')
        if (!EXEC_PROTOCOLS.some((p) => offered.has(p))) throw badRequest(`none of the offered subprotocols is supported; the playground speaks ${EXEC_PROTOCOLS.join(', ')}`)
        const behaviour = containers.behaviour(pod, container)
        execWss.handleUpgrade(req, socket, head, (ws) => runExec(ws, pod, behaviour, argv))
      } else {
        const lookup = (p: number) => containers.portHandler(pod, p)
        if (spdy) {
          // kubectl's fallback: plain SPDY/3.1 on the upgraded connection; ports arrive in stream headers.
          socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n')
          if (head.length) socket.unshift(head)
          handleSpdyTunnel(socketTransport(socket), pod, lookup)
          return
        }
        if (offered.has(SPDY_PORTFORWARD_PROTOCOL)) {
          pfWss.handleUpgrade(req, socket, head, (ws) => handleSpdyTunnel(webSocketTransport(ws), pod, lookup))
          return
        }
        const ports = url.searchParams.getAll('ports').flatMap((p) => p.split(',')).map(Number)
        if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw badRequest('at least one valid port is required')
        pfWss.handleUpgrade(req, socket, head, (ws) => runPortForward(ws, pod, lookup, ports))
      }
    } catch (err) {
      rejectUpgrade(socket, err)
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve() })
  })
  const port = (server.address() as AddressInfo).port
  const clientCertUser = (user: string) => {
    const c = issueClientCert(tls.ca, user)
    return {'client-certificate-data': Buffer.from(c.certPem).toString('base64'), 'client-key-data': Buffer.from(c.keyPem).toString('base64')}
  }
  const url = `https://127.0.0.1:${port}`
  let closed = false

  return {
    url, port, caPem: tls.ca.certPem, token, state: {cluster, logs},
    kubeconfigYaml(opts: KubeconfigOptions = {}) {
      const name = opts.context ?? DEFAULT_CONTEXT
      return yaml.dump({
        apiVersion: 'v1', kind: 'Config',
        clusters: [{name, cluster: {server: url, 'certificate-authority-data': Buffer.from(tls.ca.certPem).toString('base64')}}],
        users: [{name, user: opts.clientCertUser ? clientCertUser(opts.clientCertUser) : {token: opts.token ?? token}}],
        contexts: [{name, context: {cluster: name, user: name, namespace: opts.namespace ?? 'default'}}],
        'current-context': name, preferences: {},
      })
    },
    async close() {
      if (closed) return
      closed = true
      controllers.stop()
      containers.stop()
      for (const p of plugins) p.stop?.()
      for (const w of [...ctx.watches]) w.expire()
      logs.closeAll()
      for (const c of execWss.clients) c.terminate()
      for (const c of pfWss.clients) c.terminate()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        for (const s of sockets) s.destroy()
      })
    },
  }
}
