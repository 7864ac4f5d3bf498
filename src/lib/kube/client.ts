// The one way aerakictl reaches a cluster: the kubeconfig resolved as kubectl reads it (kubeconfig.ts: first file
// wins, --context, the context's namespace), handed to @kubernetes/client-node, which makes every request (REST,
// watch, logs, exec, port-forward) and runs auth (tokens, client certificates, exec plugins, auth providers).
// client-node costs ~300 ms to import, so it is loaded on the first request, never when this module loads.
import {readFileSync} from 'node:fs'
import type {Agent as HttpAgent} from 'node:http'
import {createSecureContext, type SecureContextOptions} from 'node:tls'
import type {KubeConfig} from '@kubernetes/client-node'
import {describeTarget, fromClientNodeError, KubeError, type Endpoint, type RequestTarget} from './errors.js'
import {InterruptedError} from '../cli/exit-codes.js'
import {checkCredentials, credentialPluginError} from './credentials.js'
import {resolveKubeconfig, type KubeconfigOptions, type ResolvedKubeconfig} from './kubeconfig.js'

export interface KubeClientOptions extends KubeconfigOptions {
  /** Per-request timeout (default 30 s); not applied to follow/watch streams. */
  timeoutMs?: number
  /** Ctrl-C: a request in flight is given up at once (InterruptedError) instead of running to its timeout. */
  signal?: AbortSignal
}

export class KubeClient {
  readonly endpoint: Endpoint
  readonly timeoutMs: number
  readonly signal?: AbortSignal
  private kc?: Promise<KubeConfig>
  private agents = new Map<string, {rest: HttpAgent; stream: HttpAgent}>()

  private constructor(readonly config: ResolvedKubeconfig, opts: KubeClientOptions) {
    this.endpoint = {contextName: config.contextName, server: config.cluster.server, userName: config.userName}
    this.timeoutMs = opts.timeoutMs ?? 30_000
    this.signal = opts.signal
  }

  /** Resolves the kubeconfig (kubectl rules); no network traffic and no client-node import yet. */
  static create(opts: KubeClientOptions = {}): KubeClient {
    return new KubeClient(resolveKubeconfig(opts), opts)
  }

  get namespace(): string {
    return this.config.namespace
  }

  get contextName(): string {
    return this.config.contextName
  }

  get server(): string {
    return this.config.cluster.server
  }

  /** Secrets of the resolved user, for scrubbing messages. */
  get secrets(): Array<string | undefined> {
    return [this.config.user.token, this.config.user.password, this.config.user['client-key-data']]
  }

  /** A client-node KubeConfig holding exactly the resolved context (cached). */
  clientNode(): Promise<KubeConfig> {
    this.kc ??= this.buildClientNode()
    return this.kc
  }

  /**
   * Runs a client-node call with the per-request timeout, turning whatever it throws into a KubeError that names
   * the verb, resource, namespace, context and server (and never a secret).
   */
  async run<T>(target: RequestTarget, fn: (kc: KubeConfig) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    const signal = this.signal
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT', timeoutMs: this.timeoutMs})), this.timeoutMs)
      timer.unref()
      if (signal) {
        onAbort = () => reject(new InterruptedError(`interrupted while trying to ${describeTarget(target)}`))
        if (signal.aborted) onAbort()
        else signal.addEventListener('abort', onAbort, {once: true})
      }
    })
    try {
      return await Promise.race([this.clientNode().then(fn), timeout])
    } catch (e) {
      if (e instanceof InterruptedError) throw e
      throw this.scrub(fromClientNodeError(e, this.endpoint, target))
    } finally {
      clearTimeout(timer)
      if (onAbort) signal?.removeEventListener('abort', onAbort)
    }
  }

  /**
   * GET of a JSON document (e.g. one page of a list) through client-node (its auth, TLS and this client's
   * keep-alive agent), parsed without client-node's typed model conversion. Errors as run() reports them.
   */
  async getJson(target: RequestTarget, path: string, query: Record<string, string | number | undefined> = {}): Promise<any> {
    return this.parseJson(target, await this.getText(target, path, query))
  }

  /** getJson's request, answered with the body's text (a caller may look at it before parsing it). */
  async getText(target: RequestTarget, path: string, query: Record<string, string | number | undefined> = {}): Promise<string> {
    const k8s = await import('./client-node-core.js')
    return this.run(target, async (kc) => {
      const config = k8s.createConfiguration({baseServer: new k8s.ServerConfiguration(this.server, {}), authMethods: {default: kc}})
      const ctx = config.baseServer.makeRequestContext(path, k8s.HttpMethod.GET)
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') ctx.setQueryParam(k, String(v))
      ctx.setHeaderParam('Accept', 'application/json')
      await config.authMethods.default?.applySecurityAuthentication(ctx)
      const res = await config.httpApi.send(ctx).toPromise()
      const text = await res.body.text()
      if (res.httpStatusCode < 200 || res.httpStatusCode > 299) throw new k8s.ApiException(res.httpStatusCode, 'Unsuccessful HTTP Request', text, res.headers)
      return text
    })
  }

  /** JSON.parse of an answer to `target`, failing as run() does. */
  parseJson(target: RequestTarget, text: string): any {
    try {
      return JSON.parse(text)
    } catch (e) {
      throw this.scrub(fromClientNodeError(e, this.endpoint, target))
    }
  }

  /** Closes the kept-alive sockets, so a finished command does not wait for the server to drop them. */
  close(): void {
    for (const {rest, stream} of this.agents.values()) {
      rest.destroy()
      stream.destroy()
    }
    this.agents.clear()
  }

  private scrub(e: KubeError): KubeError {
    let message = e.message
    for (const s of this.secrets) if (s && s.length >= 4) message = message.split(s).join('[redacted]')
    return message === e.message ? e : new KubeError(e.kind, message, e.status, e.reason)
  }

  private async buildClientNode(): Promise<KubeConfig> {
    checkCredentials(this.config)
    const {KubeConfig} = await import('./client-node-core.js')
    const kc = new KubeConfig()
    const c = this.config.cluster
    const u = this.config.user
    kc.loadFromOptions({
      clusters: [{name: this.config.clusterName, server: c.server, caData: c['certificate-authority-data'], caFile: c['certificate-authority'], skipTLSVerify: c['insecure-skip-tls-verify'] === true, tlsServerName: c['tls-server-name'], proxyUrl: c['proxy-url']}],
      users: [{
        name: this.config.userName, token: u.token ?? (u.tokenFile ? readTokenFile(u.tokenFile) : undefined), certData: u['client-certificate-data'], certFile: u['client-certificate'], keyData: u['client-key-data'], keyFile: u['client-key'],
        username: u.username, password: u.password, exec: u.exec as any, authProvider: u['auth-provider'] as any,
      }],
      contexts: [{name: this.config.contextName, cluster: this.config.clusterName, user: this.config.userName, namespace: this.config.namespace}],
      currentContext: this.config.contextName,
    })
    this.shareAgents(kc)
    return kc
  }

  /**
   * client-node 1.4 builds a new https.Agent for every request (KubeConfig.createAgent, called from
   * applySecurityAuthentication, applyToFetchOptions and applyToHTTPSOptions), so each request paid a TCP and
   * TLS handshake: `route analyze` opened 14 connections where kubectl opens one. Here every request of this
   * client shares keep-alive agents instead: REST calls (the generated APIs, KubernetesObjectApi, getJson) take
   * turns on one connection, as kubectl's single HTTP/2 connection does; followed logs, watches, exec and
   * port-forward, which hold their connection open, get a second agent without a socket limit.
   * Proxies (proxy-url) keep client-node's own agents.
   */
  private shareAgents(kc: KubeConfig): void {
    // createAgent is private in client-node's typings; this is the one place that reaches it.
    const hooks = kc as unknown as {createAgent(cluster: {proxyUrl?: string} | null, options: Record<string, unknown>): HttpAgent}
    const create = hooks.createAgent.bind(kc)
    const streamToRest = new WeakMap<object, HttpAgent>()
    hooks.createAgent = (cluster, options) => {
      if (cluster?.proxyUrl) return create(cluster, options)
      const key = JSON.stringify([options.ca, options.cert, options.key, options.pfx, options.passphrase, options.rejectUnauthorized, options.servername])
      let pair = this.agents.get(key)
      if (!pair) {
        // One TLS context for every connection (node's https.Agent otherwise builds one per socket: CA parsing
        // and key loading, ~1.5 ms each, 200 times for app-log on 200 pods).
        const secureContext = createSecureContext({ca: options.ca, cert: options.cert, key: options.key, pfx: options.pfx, passphrase: options.passphrase} as SecureContextOptions)
        const make = (extra: object) => create(cluster, {...options, secureContext, keepAlive: true, scheduling: 'lifo', ...extra})
        pair = {rest: make({maxSockets: 1}), stream: make({})}
        shareTlsSessions(pair.rest, pair.stream)
        streamToRest.set(pair.stream, pair.rest)
        this.agents.set(key, pair)
      }
      return pair.stream
    }
    const authenticate = kc.applySecurityAuthentication.bind(kc)
    kc.applySecurityAuthentication = async (context) => {
      try {
        await authenticate(context)
      } catch (e) {
        // Failing before the request is sent: the credentials (exec plugin, auth provider), never the network.
        throw credentialPluginError(e, this.config)
      }
      const rest = streamToRest.get(context.getAgent() as object)
      if (rest) context.setAgent(rest)
    }
  }
}

/**
 * Streams (followed logs, watches, exec) resume the TLS session of the REST connection instead of a full
 * handshake each: a resumed session skips the certificate chain on both sides (node's tls.connect checks the
 * server identity only on a full handshake, `onConnectSecure` in lib/_tls_wrap.js), which was most of the
 * client's CPU before the first line of `app-log` on 200 pods, and most of the server's. node's https.Agent keeps
 * sessions per agent (`_sessionCache`, lib/https.js, Agent.prototype._cacheSession/_getSession); the two agents
 * of one client share that cache. Without it (another node), each agent keeps its own, as before.
 */
function shareTlsSessions(rest: HttpAgent, stream: HttpAgent): void {
  const r = rest as unknown as {_sessionCache?: unknown}
  const s = stream as unknown as {_sessionCache?: unknown}
  if (r._sessionCache && typeof r._sessionCache === 'object' && s._sessionCache && typeof s._sessionCache === 'object') s._sessionCache = r._sessionCache
}

function readTokenFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch (e) {
    throw new KubeError('config', `cannot read tokenFile ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}
