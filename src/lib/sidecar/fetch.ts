// Reads an admin or debug port of a mesh pod, trying the ways that need the least from the image: port-forward to
// the port (istioctl's way, no exec permission or binaries needed: istio/istio pkg/kube/client.go
// portForwardRequest), then exec of the Istio binary's own `request` command (`pilot-agent request` in a proxy,
// `pilot-discovery request` in istiod: istio/istio pilot/cmd/pilot-discovery/request.go), then exec curl
// (aerakictl.sh's way). One path for the config dump and every other admin/debug read: a caller's `accept` check
// turns an answer that is not what was asked for (pilot-agent prints Envoy's error text with a success status,
// config-dump.md §4.1) into a failure of that way, so the next one is tried.
import {KubeClient} from '../kube/client.js'
import {KubeError, type Endpoint} from '../kube/errors.js'
import {ConfigDumpError, parseConfigDump, type ConfigDump} from '../dump/index.js'
import {InputError} from '../resources/errors.js'
import {execInContainer, type ExecTarget} from './exec.js'
import {httpViaPortForward} from './port-forward.js'
import {resolveSidecar} from './target.js'

export type FetchMethod = 'port-forward' | 'pilot-agent' | 'curl'

export const ADMIN_PORT = 15000

/** Where a kind of pod answers: the port, the container, and the in-image command that makes the request for us. */
export interface AdminPort {
  port: number
  container: string
  /** argv prefix, followed by METHOD and PATH (no leading slash). */
  agent: string[]
  /** Who answers, for messages ("Envoy", "istiod"). */
  server: string
}

export const ENVOY_ADMIN: AdminPort = {port: ADMIN_PORT, container: 'istio-proxy', agent: ['pilot-agent', 'request'], server: 'Envoy'}
export const ISTIOD_DEBUG: AdminPort = {port: 15014, container: 'discovery', agent: ['pilot-discovery', 'request'], server: 'istiod'}

export interface AdminRequestOptions {
  kubeconfig?: string
  context?: string
  namespace?: string
  /** App name (substring of pod names) or full pod name; one of app and pod is required. */
  app?: string
  /** A full pod name (an exact name wins over substring matches); used when app is not given. */
  pod?: string
  /** Default: the target's container (istio-proxy for Envoy). */
  container?: string
  /** Default ENVOY_ADMIN. */
  target?: AdminPort
  /** Per attempt (default 30 s). */
  timeoutMs?: number
  /** Path and query, without the leading slash. */
  path: string
  /** Default GET; Envoy wants POST for paths that change something (/logging?level=…). */
  verb?: 'GET' | 'POST'
  /** Methods to try, in order (default all three). */
  methods?: FetchMethod[]
  /** Throws when the answer is not what was asked for; the next method is tried then. */
  accept?: (text: string) => void
  /** Progress and fallbacks, one line each (the CLI prints them on stderr). */
  onNote?: (line: string) => void
  /** What is read, for messages (default "/PATH"). */
  what?: string
}

export interface AdminAnswer {
  /** The answer as received. */
  text: string
  method: FetchMethod
  /** How it was reached, as said on stderr ("port-forward to port 15000"). */
  via: string
  pod: string
  namespace: string
  container: string
  bytes: number
}

export interface FetchConfigDumpOptions extends Omit<AdminRequestOptions, 'path' | 'verb' | 'accept' | 'target' | 'what'> {
  /** Path and query on the admin port, without the leading slash (default `config_dump`). */
  path?: string
}

export interface FetchedConfigDump extends AdminAnswer {
  dump: ConfigDump
}

export class SidecarFetchError extends KubeError {
  constructor(message: string, readonly attempts: Array<{method: FetchMethod; error: string}>) {
    super('server', message)
    this.name = 'SidecarFetchError'
  }
}

interface Attempt {
  method: FetchMethod
  describe: string
  run(): Promise<string>
}

function excerpt(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ')
  return t.length > 200 ? `${t.slice(0, 200)}…` : t
}

/** Failures of the API connection itself: no other method can do better, so they end the search. */
const FATAL_KINDS = new Set(['config', 'unreachable', 'tls', 'unauthorized', 'auth-plugin'])

function attempts(exec: ExecTarget, pfTarget: Parameters<typeof httpViaPortForward>[0], target: AdminPort, verb: 'GET' | 'POST', path: string): Attempt[] {
  const execText = async (argv: string[], what: string): Promise<string> => {
    const r = await execInContainer(exec, argv)
    if (r.exitCode === 126 || r.exitCode === 127 || /executable file not found|not found in \$PATH/.test(r.stderr)) {
      throw new Error(`${argv[0]} is not available in container ${exec.container} (${excerpt(r.stderr) || `exit code ${r.exitCode}`})`)
    }
    if (r.exitCode !== 0) throw new Error(`${what} exited with code ${r.exitCode}${r.stderr.trim() || r.stdout.trim() ? `: ${excerpt(r.stderr || r.stdout)}` : ''}`)
    return r.stdout
  }
  const agent = target.agent.join(' ')
  return [
    {
      method: 'port-forward',
      describe: `port-forward to port ${target.port}`,
      async run() {
        const answer = await httpViaPortForward(pfTarget, verb, `/${path}`)
        const body = answer.body.toString('utf8')
        if (answer.status !== 200) throw new Error(`${target.server} answered ${answer.status}: ${excerpt(body)}`)
        return body
      },
    },
    {
      method: 'pilot-agent',
      describe: `exec ${agent} ${verb}`,
      run: () => execText([...target.agent, verb, path], agent),
    },
    {
      method: 'curl',
      describe: 'exec curl',
      run: () => execText(['curl', '-sS', ...(verb === 'POST' ? ['-X', 'POST'] : []), `http://127.0.0.1:${target.port}/${path}`], 'curl'),
    },
  ]
}

/** One admin/debug request to a pod, by the first way that works; stderr notes say which did. */
export async function requestAdmin(opts: AdminRequestOptions): Promise<AdminAnswer> {
  const note = opts.onNote ?? (() => {})
  const wanted = opts.pod ?? opts.app
  if (!wanted) throw new InputError('name the pod to read (app name or pod name)', 'APP')
  const timeoutMs = opts.timeoutMs ?? 30_000
  const target = opts.target ?? ENVOY_ADMIN
  const verb = opts.verb ?? 'GET'
  const kube = KubeClient.create({kubeconfig: opts.kubeconfig, context: opts.context, namespace: opts.namespace, timeoutMs})
  try {
    const namespace = kube.namespace
    const container = opts.container ?? target.container
    const pod = await resolveSidecar(kube, {app: wanted, namespace, container})
    const kc = await kube.clientNode()
    const endpoint: Endpoint = kube.endpoint
    const secrets = kube.secrets
    const exec: ExecTarget = {kc, endpoint, secrets, namespace, pod: pod.name, container, timeoutMs}
    const pf = {kc, endpoint, secrets, namespace, pod: pod.name, port: target.port, timeoutMs}
    const path = opts.path.replace(/^\/+/, '')
    const what = opts.what ?? `/${path}`
    const methods = opts.methods ?? ['port-forward', 'pilot-agent', 'curl']
    const failures: Array<{method: FetchMethod; error: string}> = []
    for (const attempt of attempts(exec, pf, target, verb, path).filter((a) => methods.includes(a.method))) {
      try {
        const text = await attempt.run()
        opts.accept?.(text)
        const bytes = Buffer.byteLength(text)
        note(`Read ${what} of ${namespace}/${pod.name} (container ${container}) via ${attempt.describe} (${bytes} bytes).`)
        return {text, method: attempt.method, via: attempt.describe, pod: pod.name, namespace, container, bytes}
      } catch (e) {
        if (e instanceof KubeError && FATAL_KINDS.has(e.kind)) throw e
        const error = (e as Error).message
        failures.push({method: attempt.method, error})
        note(`${attempt.describe} failed: ${error}`)
      }
    }
    const lines = failures.map((f) => `  ${f.method}: ${f.error}`).join('\n')
    throw new SidecarFetchError(`could not read ${what} of ${namespace}/${pod.name} (container ${container}):\n${lines}`, failures)
  } finally {
    kube.close()
  }
}

export async function fetchConfigDump(opts: FetchConfigDumpOptions): Promise<FetchedConfigDump> {
  let dump: ConfigDump | undefined
  const answer = await requestAdmin({
    ...opts, path: opts.path ?? 'config_dump', what: 'the config dump',
    accept(text) {
      try {
        dump = parseConfigDump(text)
      } catch (e) {
        if (e instanceof ConfigDumpError) throw new Error(`the answer is not a config dump: ${e.message}`)
        throw e
      }
    },
  })
  return {...answer, dump: dump!}
}
