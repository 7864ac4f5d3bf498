// The one way aerakictl reaches a cluster: the kubeconfig resolved as kubectl reads it (kubeconfig.ts: first file
// wins, --context, the context's namespace), handed to @kubernetes/client-node, which makes every request (REST,
// watch, logs, exec, port-forward) and runs auth (tokens, client certificates, exec plugins, auth providers).
// client-node costs ~300 ms to import, so it is loaded on the first request, never when this module loads.
import {readFileSync} from 'node:fs'
import type {KubeConfig} from '@kubernetes/client-node'
import {fromClientNodeError, KubeError, type Endpoint, type RequestTarget} from './errors.js'
import {resolveKubeconfig, type KubeconfigOptions, type ResolvedKubeconfig} from './kubeconfig.js'

export interface KubeClientOptions extends KubeconfigOptions {
  /** Per-request timeout (default 30 s); not applied to follow/watch streams. */
  timeoutMs?: number
}

export class KubeClient {
  readonly endpoint: Endpoint
  readonly timeoutMs: number
  private kc?: Promise<KubeConfig>

  private constructor(readonly config: ResolvedKubeconfig, opts: KubeClientOptions) {
    this.endpoint = {contextName: config.contextName, server: config.cluster.server, userName: config.userName}
    this.timeoutMs = opts.timeoutMs ?? 30_000
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
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT', timeoutMs: this.timeoutMs})), this.timeoutMs)
      timer.unref()
    })
    try {
      return await Promise.race([this.clientNode().then(fn), timeout])
    } catch (e) {
      throw this.scrub(fromClientNodeError(e, this.endpoint, target))
    } finally {
      clearTimeout(timer)
    }
  }

  /** Nothing to release: client-node owns its sockets. Kept so callers can end a session explicitly. */
  close(): void {}

  private scrub(e: KubeError): KubeError {
    let message = e.message
    for (const s of this.secrets) if (s && s.length >= 4) message = message.split(s).join('[redacted]')
    return message === e.message ? e : new KubeError(e.kind, message, e.status, e.reason)
  }

  private async buildClientNode(): Promise<KubeConfig> {
    const {KubeConfig} = await import('@kubernetes/client-node')
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
    return kc
  }
}

function readTokenFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch (e) {
    throw new KubeError('config', `cannot read tokenFile ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
}
