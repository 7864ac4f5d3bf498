// Reads a sidecar's Envoy /config_dump from a live pod, trying the ways that need the least from the image:
// port-forward to the admin port (istioctl's way, no exec permission or binaries needed), then exec
// `pilot-agent request GET`, then exec curl (aerakictl.sh's way). Every answer must parse as a config dump:
// pilot-agent prints Envoy's error text with a success status (config-dump.md §4.1).
import {KubeClient} from '../kube/client.js'
import {KubeError, type Endpoint} from '../kube/errors.js'
import {ConfigDumpError, parseConfigDump, type ConfigDump} from '../dump/index.js'
import {InputError} from '../resources/errors.js'
import {execInContainer, type ExecTarget} from './exec.js'
import {httpGetViaPortForward} from './port-forward.js'
import {resolveSidecar} from './target.js'

export type FetchMethod = 'port-forward' | 'pilot-agent' | 'curl'

export const ADMIN_PORT = 15000

export interface FetchConfigDumpOptions {
  kubeconfig?: string
  context?: string
  namespace?: string
  /** App name (substring of pod names) or full pod name; one of app and pod is required. */
  app?: string
  /** A full pod name (an exact name wins over substring matches); used when app is not given. */
  pod?: string
  container?: string
  /** Per attempt (default 30 s). */
  timeoutMs?: number
  /** Path and query on the admin port, without the leading slash (default `config_dump`). */
  path?: string
  /** Methods to try, in order (default all three). */
  methods?: FetchMethod[]
  /** Progress and fallbacks, one line each (the CLI prints them on stderr). */
  onNote?: (line: string) => void
}

export interface FetchedConfigDump {
  dump: ConfigDump
  /** The answer as received. */
  text: string
  method: FetchMethod
  pod: string
  namespace: string
  container: string
  bytes: number
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

function attempts(exec: ExecTarget, pfTarget: Parameters<typeof httpGetViaPortForward>[0], path: string): Attempt[] {
  const execText = async (argv: string[], what: string): Promise<string> => {
    const r = await execInContainer(exec, argv)
    if (r.exitCode === 126 || r.exitCode === 127 || /executable file not found|not found in \$PATH/.test(r.stderr)) {
      throw new Error(`${argv[0]} is not available in container ${exec.container} (${excerpt(r.stderr) || `exit code ${r.exitCode}`})`)
    }
    if (r.exitCode !== 0) throw new Error(`${what} exited with code ${r.exitCode}${r.stderr.trim() || r.stdout.trim() ? `: ${excerpt(r.stderr || r.stdout)}` : ''}`)
    return r.stdout
  }
  return [
    {
      method: 'port-forward',
      describe: `port-forward to port ${ADMIN_PORT}`,
      async run() {
        const answer = await httpGetViaPortForward(pfTarget, `/${path}`)
        const body = answer.body.toString('utf8')
        if (answer.status !== 200) throw new Error(`Envoy answered ${answer.status}: ${excerpt(body)}`)
        return body
      },
    },
    {
      method: 'pilot-agent',
      describe: 'exec pilot-agent request GET',
      run: () => execText(['pilot-agent', 'request', 'GET', path], 'pilot-agent request'),
    },
    {
      method: 'curl',
      describe: 'exec curl',
      run: () => execText(['curl', '-sS', `http://127.0.0.1:${ADMIN_PORT}/${path}`], 'curl'),
    },
  ]
}

export async function fetchConfigDump(opts: FetchConfigDumpOptions): Promise<FetchedConfigDump> {
  const note = opts.onNote ?? (() => {})
  const wanted = opts.pod ?? opts.app
  if (!wanted) throw new InputError('name the pod whose sidecar to read (app name or pod name)', 'APP')
  const timeoutMs = opts.timeoutMs ?? 30_000
  const kube = KubeClient.create({kubeconfig: opts.kubeconfig, context: opts.context, namespace: opts.namespace, timeoutMs})
  try {
    const namespace = kube.namespace
    const container = opts.container ?? 'istio-proxy'
    const pod = await resolveSidecar(kube, {app: wanted, namespace, container})
    const kc = await kube.clientNode()
    const endpoint: Endpoint = kube.endpoint
    const secrets = kube.secrets
    const exec: ExecTarget = {kc, endpoint, secrets, namespace, pod: pod.name, container, timeoutMs}
    const pf = {kc, endpoint, secrets, namespace, pod: pod.name, port: ADMIN_PORT, timeoutMs}
    const path = opts.path ?? 'config_dump'
    const methods = opts.methods ?? ['port-forward', 'pilot-agent', 'curl']
    const failures: Array<{method: FetchMethod; error: string}> = []
    for (const attempt of attempts(exec, pf, path).filter((a) => methods.includes(a.method))) {
      try {
        const text = await attempt.run()
        let dump: ConfigDump
        try {
          dump = parseConfigDump(text)
        } catch (e) {
          if (e instanceof ConfigDumpError) throw new Error(`the answer is not a config dump: ${e.message}`)
          throw e
        }
        const bytes = Buffer.byteLength(text)
        note(`Read the config dump of ${namespace}/${pod.name} (container ${container}) via ${attempt.describe} (${bytes} bytes).`)
        return {dump, text, method: attempt.method, pod: pod.name, namespace, container, bytes}
      } catch (e) {
        if (e instanceof KubeError && FATAL_KINDS.has(e.kind)) throw e
        const error = (e as Error).message
        failures.push({method: attempt.method, error})
        note(`${attempt.describe} failed: ${error}`)
      }
    }
    const lines = failures.map((f) => `  ${f.method}: ${f.error}`).join('\n')
    throw new SidecarFetchError(`could not read the config dump of ${namespace}/${pod.name} (container ${container}):\n${lines}`, failures)
  } finally {
    kube.close()
  }
}
