// A small Kubernetes REST client on node:https, built from the kubeconfig as kubectl reads it. It keeps
// @kubernetes/client-node (~300 ms to import) off the paths that only need GETs, logs and watches;
// `clientNode()` builds a client-node KubeConfig from the same resolved config for exec/port-forward.
import {readFileSync} from 'node:fs'
import {Agent, request as httpsRequest, type RequestOptions} from 'node:https'
import {request as httpRequest} from 'node:http'
import {connect as tlsConnect, type ConnectionOptions} from 'node:tls'
import type {Duplex} from 'node:stream'
import type {KubeConfig} from '@kubernetes/client-node'
import {execCredential} from './exec-auth.js'
import {connectionError, KubeError, redact, statusError, type Endpoint, type RequestTarget} from './errors.js'
import {resolveKubeconfig, type KubeconfigOptions, type ResolvedKubeconfig} from './kubeconfig.js'

export interface KubeClientOptions extends KubeconfigOptions {
  /** Per-request timeout (default 30 s); not applied to follow/watch streams. */
  timeoutMs?: number
}

export interface RequestOptionsKube {
  query?: Record<string, string | number | boolean | undefined | string[]>
  body?: unknown
  contentType?: string
  accept?: string
  target: RequestTarget
}

export interface LogOptions {
  container?: string
  follow?: boolean
  tailLines?: number
  sinceSeconds?: number
  sinceTime?: string
  timestamps?: boolean
  limitBytes?: number
  signal?: AbortSignal
}

/** Tunnels TLS through an HTTP proxy with CONNECT (kubeconfig `proxy-url`, as client-go and client-node do). */
class ConnectProxyAgent extends Agent {
  constructor(private proxy: URL, opts: ConstructorParameters<typeof Agent>[0]) { super(opts) }

  createConnection(options: ConnectionOptions & {host?: string; port?: number}, cb: (err: Error | null, socket?: Duplex) => void): undefined {
    const auth = this.proxy.username ? {'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`).toString('base64')}`} : {}
    const req = httpRequest({host: this.proxy.hostname, port: Number(this.proxy.port || 80), method: 'CONNECT', path: `${options.host}:${options.port}`, headers: {host: `${options.host}:${options.port}`, ...auth}})
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) { socket.destroy(); cb(Object.assign(new Error(`proxy ${this.proxy.host} refused CONNECT: ${res.statusCode}`), {code: 'ECONNREFUSED'})); return }
      cb(null, tlsConnect({...options, socket, servername: options.servername ?? options.host}))
    })
    req.on('error', (e) => cb(e))
    req.end()
    return undefined
  }
}

function readMaybe(path: string | undefined, what: string): Buffer | undefined {
  if (!path) return undefined
  try { return readFileSync(path) } catch (e) { throw new KubeError('config', `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`) }
}

const b64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64') : undefined)

export class KubeClient {
  readonly endpoint: Endpoint
  private readonly agent: Agent
  private readonly timeoutMs: number
  private readonly base: URL

  private constructor(readonly config: ResolvedKubeconfig, opts: KubeClientOptions) {
    this.endpoint = {contextName: config.contextName, server: config.cluster.server, userName: config.userName}
    this.timeoutMs = opts.timeoutMs ?? 30_000
    this.base = new URL(config.cluster.server)
    const c = config.cluster, u = config.user
    const proxy = c['proxy-url'] ? new URL(c['proxy-url']) : undefined
    if (proxy && proxy.protocol !== 'http:') throw new KubeError('config', `proxy-url ${proxy.protocol}// is not supported by aerakictl's client (only http:// CONNECT proxies)`)
    const AgentClass = proxy ? class extends ConnectProxyAgent { constructor(o: ConstructorParameters<typeof Agent>[0]) { super(proxy!, o) } } : Agent
    this.agent = new AgentClass({
      keepAlive: true,
      ca: b64(c['certificate-authority-data']) ?? readMaybe(c['certificate-authority'], 'certificate-authority'),
      cert: b64(u['client-certificate-data']) ?? readMaybe(u['client-certificate'], 'client-certificate'),
      key: b64(u['client-key-data']) ?? readMaybe(u['client-key'], 'client-key'),
      rejectUnauthorized: c['insecure-skip-tls-verify'] !== true,
      servername: c['tls-server-name'],
    })
  }

  /** Resolves the kubeconfig (kubectl rules) and builds a client; no network traffic yet. */
  static create(opts: KubeClientOptions = {}): KubeClient {
    return new KubeClient(resolveKubeconfig(opts), opts)
  }

  get namespace(): string { return this.config.namespace }
  get contextName(): string { return this.config.contextName }
  get server(): string { return this.config.cluster.server }

  close(): void { this.agent.destroy() }

  private secrets(): Array<string | undefined> {
    return [this.config.user.token, this.config.user.password, this.config.user['client-key-data']]
  }

  private async authHeaders(): Promise<{headers: Record<string, string>; cert?: Buffer; key?: Buffer}> {
    const u = this.config.user
    if (u.token) return {headers: {authorization: `Bearer ${u.token}`}}
    if (u.tokenFile) return {headers: {authorization: `Bearer ${readMaybe(u.tokenFile, 'tokenFile')!.toString().trim()}`}}
    if (u.username !== undefined && u.password !== undefined) return {headers: {authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`}}
    if (u.exec) {
      const cred = await execCredential(u.exec, this.config.cluster, this.config.userName)
      if (cred.token) return {headers: {authorization: `Bearer ${cred.token}`}}
      return {headers: {}, cert: Buffer.from(cred.clientCertificateData!), key: Buffer.from(cred.clientKeyData!)}
    }
    if (u['auth-provider']) {
      // Rare legacy providers (oidc, azure, gcp): let client-node compute the header.
      const kc = await this.clientNode()
      const o: {headers?: Record<string, string>} = {}
      await kc.applyToHTTPSOptions(o as never)
      return {headers: {...(o.headers ?? {})}}
    }
    return {headers: {}}
  }

  private url(path: string, query?: RequestOptionsKube['query']): URL {
    const u = new URL(this.base.toString())
    u.pathname = `${this.base.pathname.replace(/\/$/, '')}${path}`
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue
      for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, String(item))
    }
    return u
  }

  private async open(method: string, path: string, o: RequestOptionsKube & {stream?: boolean; signal?: AbortSignal}): Promise<import('node:http').IncomingMessage> {
    const auth = await this.authHeaders()
    const url = this.url(path, o.query)
    const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body)
    const options: RequestOptions = {
      method, agent: auth.cert ? undefined : this.agent,
      headers: {
        accept: o.accept ?? 'application/json', 'user-agent': 'aerakictl', ...auth.headers,
        ...(body !== undefined ? {'content-type': o.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body)} : {}),
      },
      ...(auth.cert ? {cert: auth.cert, key: auth.key, ca: (this.agent.options as any).ca, rejectUnauthorized: (this.agent.options as any).rejectUnauthorized} : {}),
      signal: o.signal,
    }
    const doRequest = url.protocol === 'http:' ? httpRequest : httpsRequest
    return new Promise((resolve, reject) => {
      const req = doRequest(url, options, resolve)
      if (!o.stream) req.setTimeout(this.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT', timeoutMs: this.timeoutMs})))
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e.name === 'AbortError') reject(e)
        else reject(this.scrub(connectionError(e, this.endpoint, o.target)))
      })
      req.end(body)
    })
  }

  private scrub(e: KubeError): KubeError {
    const msg = redact(e.message, this.secrets())
    return msg === e.message ? e : new KubeError(e.kind, msg, e.status, e.reason)
  }

  private async readAll(res: import('node:http').IncomingMessage): Promise<string> {
    let text = ''
    for await (const c of res) text += c
    return text
  }

  private async fail(res: import('node:http').IncomingMessage, target: RequestTarget): Promise<never> {
    const text = await this.readAll(res).catch(() => '')
    let body: unknown
    try { body = JSON.parse(text) } catch { body = text ? {message: text.trim().slice(0, 500)} : undefined }
    throw this.scrub(statusError(res.statusCode ?? 0, body, this.endpoint, target))
  }

  /** One JSON request; non-2xx answers become KubeErrors naming verb, resource and namespace. */
  async request<T = any>(method: string, path: string, o: RequestOptionsKube): Promise<T> {
    return (await this.requestWithStatus<T>(method, path, o)).body
  }

  /** Like request(), also returning the HTTP status (201 = created). */
  async requestWithStatus<T = any>(method: string, path: string, o: RequestOptionsKube): Promise<{status: number; body: T}> {
    const res = await this.open(method, path, o)
    if ((res.statusCode ?? 0) >= 300) {
      try {
        return await this.fail(res, o.target)
      } catch (e) {
        throw method === 'GET' && o.target.name && e instanceof KubeError && e.kind === 'not-found' ? await this.withExisting(e, path, o.target) : e
      }
    }
    const text = await this.readAll(res)
    return {status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T}
  }

  /** Adds what does exist to a 404 for a named object ("pods in meta-thrift: a, b"). */
  private async withExisting(e: KubeError, path: string, target: RequestTarget): Promise<KubeError> {
    const collection = path.split('?')[0].replace(/\/[^/]+$/, '')
    try {
      const list = await this.request<{items?: Array<{metadata?: {name?: string}}>}>('GET', collection, {target: {...target, verb: 'list', name: undefined}})
      const names = (list.items ?? []).map((i) => i.metadata?.name).filter(Boolean) as string[]
      const where = target.namespace ? ` in ${target.namespace}` : ''
      const tail = names.length === 0 ? `; there are no ${target.resource}${where}` : `; ${target.resource}${where}: ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, … (${names.length})` : ''}`
      return new KubeError(e.kind, `${e.message}${tail}`, e.status, e.reason)
    } catch {
      return e
    }
  }

  get<T = any>(path: string, target: RequestTarget, query?: RequestOptionsKube['query']): Promise<T> {
    return this.request<T>('GET', path, {target, query})
  }

  /**
   * Streams a container log, calling `onData` with text chunks. Resolves when the server ends the stream
   * (or `signal` aborts it); rejects with kind "stream-cut" when the connection drops mid-stream.
   */
  async streamLogs(namespace: string, pod: string, o: LogOptions, onData: (text: string) => void): Promise<void> {
    const target: RequestTarget = {verb: 'get', resource: 'pods/log', namespace, name: pod}
    const query = {container: o.container, follow: o.follow ? 'true' : undefined, tailLines: o.tailLines, sinceSeconds: o.sinceSeconds, sinceTime: o.sinceTime, timestamps: o.timestamps ? 'true' : undefined, limitBytes: o.limitBytes}
    let res
    try {
      res = await this.open('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`, {target, query, accept: '*/*', stream: true, signal: o.signal})
    } catch (e) {
      if ((e as Error).name === 'AbortError') return
      throw e
    }
    if ((res.statusCode ?? 0) >= 300) return this.fail(res, target)
    res.setEncoding('utf8')
    await new Promise<void>((resolve, reject) => {
      let ended = false
      res.on('data', (c: string) => onData(c))
      res.on('end', () => { ended = true; resolve() })
      const cut = () => {
        if (ended) return
        if (o.signal?.aborted) resolve()
        else reject(new KubeError('stream-cut', `the log stream of ${namespace}/${pod}${o.container ? ` (${o.container})` : ''} was cut by the server or the network`))
      }
      res.on('aborted', cut)
      res.on('error', cut)
      res.on('close', cut)
    })
  }

  /** URL and TLS/auth options for a WebSocket upgrade (exec, port-forward) against this cluster. */
  async upgradeTarget(path: string, query?: RequestOptionsKube['query']): Promise<{url: string; options: {headers: Record<string, string>; ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean; servername?: string; agent?: Agent}}> {
    const auth = await this.authHeaders()
    const o = this.agent.options as {ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean; servername?: string}
    const url = this.url(path, query)
    url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:'
    const agent = this.config.cluster['proxy-url'] ? this.agent : undefined
    return {url: url.toString(), options: {headers: auth.headers, ca: o.ca, cert: auth.cert ?? o.cert, key: auth.key ?? o.key, rejectUnauthorized: o.rejectUnauthorized !== false, servername: o.servername, ...(agent ? {agent} : {})}}
  }

  /** Turns a failed upgrade (HTTP status + body) into the same errors as REST calls. */
  upgradeError(status: number, bodyText: string, target: RequestTarget): KubeError {
    let body: unknown
    try { body = JSON.parse(bodyText) } catch { body = bodyText ? {message: bodyText.trim().slice(0, 500)} : undefined }
    return this.scrub(statusError(status, body, this.endpoint, target))
  }

  connectionError(err: NodeJS.ErrnoException, target: RequestTarget): KubeError {
    return this.scrub(connectionError(err, this.endpoint, target))
  }

  /** Streams a watch: one callback per event; resolves when the server ends it or `signal` aborts. */
  async watch(path: string, target: RequestTarget, query: RequestOptionsKube['query'], onEvent: (type: string, object: any) => void, signal?: AbortSignal): Promise<void> {
    let res
    try {
      res = await this.open('GET', path, {target: {...target, verb: 'watch'}, query: {...query, watch: 'true'}, stream: true, signal})
    } catch (e) {
      if ((e as Error).name === 'AbortError') return
      throw e
    }
    if ((res.statusCode ?? 0) >= 300) return this.fail(res, {...target, verb: 'watch'})
    res.setEncoding('utf8')
    let buf = ''
    await new Promise<void>((resolve, reject) => {
      res.on('data', (c: string) => {
        buf += c
        let i
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trim()
          buf = buf.slice(i + 1)
          if (!line) continue
          try { const ev = JSON.parse(line); onEvent(ev.type, ev.object) } catch (e) { reject(e) }
        }
      })
      res.on('end', () => resolve())
      res.on('close', () => resolve())
      res.on('error', (e) => (signal?.aborted ? resolve() : reject(e)))
    })
  }

  /** A client-node KubeConfig for the same resolved context (client-node is imported only now). */
  async clientNode(): Promise<KubeConfig> {
    const {KubeConfig} = await import('@kubernetes/client-node')
    const kc = new KubeConfig()
    const c = this.config.cluster, u = this.config.user
    kc.loadFromOptions({
      clusters: [{name: this.config.clusterName, server: c.server, caData: c['certificate-authority-data'], caFile: c['certificate-authority'], skipTLSVerify: c['insecure-skip-tls-verify'] === true, tlsServerName: c['tls-server-name'], proxyUrl: c['proxy-url']}],
      users: [{
        name: this.config.userName, token: u.token, certData: u['client-certificate-data'], certFile: u['client-certificate'], keyData: u['client-key-data'], keyFile: u['client-key'],
        username: u.username, password: u.password, exec: u.exec as any, authProvider: u['auth-provider'] as any,
      }],
      contexts: [{name: this.config.contextName, cluster: this.config.clusterName, user: this.config.userName, namespace: this.config.namespace}],
      currentContext: this.config.contextName,
    })
    return kc
  }
}
