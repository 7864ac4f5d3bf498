// Errors a user can act on: what failed, against which context and server, and never a secret.

export type KubeErrorKind = 'config' | 'unreachable' | 'tls' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'invalid' | 'timeout' | 'auth-plugin' | 'server' | 'stream-cut'

export class KubeError extends Error {
  constructor(readonly kind: KubeErrorKind, message: string, readonly status?: number, readonly reason?: string) {
    super(message)
    this.name = 'KubeError'
  }
}

export interface RequestTarget {
  verb: string
  /** e.g. "pods", "pods/log", "metarouters.metaprotocol.aeraki.io" */
  resource: string
  namespace?: string
  name?: string
}

export interface Endpoint {
  contextName: string
  server: string
  userName?: string
}

export function describeTarget(t: RequestTarget): string {
  return `${t.verb} ${t.resource}${t.name ? ` "${t.name}"` : ''}${t.namespace ? ` in ${t.namespace}` : ''}`
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE'])
const TLS = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/

/** Turns a socket-level failure into an error naming the context and the server URL. */
export function connectionError(err: NodeJS.ErrnoException, ep: Endpoint, t?: RequestTarget): KubeError {
  const code = err.code ?? ''
  const doing = t ? ` (while trying to ${describeTarget(t)})` : ''
  if (TLS.test(code) || TLS.test(err.message)) {
    return new KubeError('tls', `TLS handshake with the Kubernetes API of context "${ep.contextName}" at ${ep.server} failed: ${err.message}${doing}; check certificate-authority(-data) of the cluster in your kubeconfig`)
  }
  if (code === 'ETIMEDOUT') {
    const after = typeof (err as {timeoutMs?: number}).timeoutMs === 'number' ? ` within ${(err as {timeoutMs?: number}).timeoutMs! / 1000}s` : ''
    return new KubeError('timeout', `no answer${after} from the Kubernetes API of context "${ep.contextName}" at ${ep.server}${doing}`)
  }
  const why = UNREACHABLE.has(code) ? {ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', EAI_AGAIN: 'DNS lookup failed', ECONNRESET: 'connection reset'}[code as 'ECONNREFUSED'] ?? code : err.message
  return new KubeError('unreachable', `cannot reach the Kubernetes API of context "${ep.contextName}" at ${ep.server}: ${why}${doing}. Is the cluster running (for the playground: \`aerakictl playground\`)?`)
}

/** Turns a non-2xx API answer (with its metav1.Status body, if any) into an actionable error. */
export function statusError(status: number, body: unknown, ep: Endpoint, t: RequestTarget): KubeError {
  const st = (typeof body === 'object' && body !== null ? body : {}) as {message?: string; reason?: string}
  const serverSays = st.message ? `: ${st.message}` : ''
  switch (status) {
    case 401:
      return new KubeError('unauthorized', `the Kubernetes API of context "${ep.contextName}" at ${ep.server} rejected the credentials of user "${ep.userName ?? ''}" (401 Unauthorized) when trying to ${describeTarget(t)}: check or renew the token or client certificate in your kubeconfig`, 401, st.reason)
    case 403:
      return new KubeError('forbidden', `forbidden: cannot ${t.verb} ${t.resource} ${t.namespace ? `in ${t.namespace}` : 'at cluster scope'} (${t.name ? `name "${t.name}", ` : ''}user "${ep.userName ?? ''}", context "${ep.contextName}"); ask for RBAC permission or use another context`, 403, st.reason)
    case 404:
      return new KubeError('not-found', st.message && !/could not find the requested resource/.test(st.message)
        ? `${st.message}${t.namespace && !st.message.includes(t.namespace) ? ` in namespace ${t.namespace}` : ''}`
        : `${t.resource}${t.name ? ` "${t.name}"` : ''} not found${t.namespace ? ` in namespace ${t.namespace}` : ''}: the server does not serve ${t.resource} (is the CRD installed?)`, 404, st.reason)
    case 409:
      return new KubeError('conflict', `conflict when trying to ${describeTarget(t)}${serverSays}`, 409, st.reason)
    case 400: case 422:
      return new KubeError('invalid', `the API server refused to ${describeTarget(t)}${serverSays}`, status, st.reason)
    case 408: case 504:
      return new KubeError('timeout', `the API server timed out trying to ${describeTarget(t)}${serverSays}`, status, st.reason)
    default:
      return new KubeError('server', `the API server answered ${status} when trying to ${describeTarget(t)}${serverSays}`, status, st.reason)
  }
}

/** Removes bearer tokens, passwords and key material from text meant for users. */
export function redact(text: string, secrets: Array<string | undefined> = []): string {
  let out = text
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]')
  return out
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[redacted private key]')
}

/**
 * Maps what @kubernetes/client-node throws (ApiException with a numeric code and a JSON body, or a socket error)
 * to the same actionable KubeErrors as everything else.
 */
export function fromClientNodeError(e: unknown, ep: Endpoint, t: RequestTarget): KubeError {
  if (e instanceof KubeError) return e
  const err = e as {code?: number | string; body?: unknown; message?: string; cause?: {code?: string; message?: string}}
  if (typeof err.code === 'number') {
    let body: unknown = err.body
    if (typeof err.body === 'string') {
      const text = err.body
      try {
        body = JSON.parse(text)
      } catch {
        body = {message: text.slice(0, 300)}
      }
    }
    return statusError(err.code, body, ep, t)
  }
  const sysCode = typeof err.code === 'string' ? err.code : err.cause?.code
  if (sysCode) return connectionError({code: sysCode, message: err.cause?.message ?? err.message ?? String(e), timeoutMs: (err as {timeoutMs?: number}).timeoutMs} as unknown as NodeJS.ErrnoException, ep, t)
  return new KubeError('server', `could not ${describeTarget(t)} against context "${ep.contextName}" at ${ep.server}: ${err.message ?? String(e)}`)
}
