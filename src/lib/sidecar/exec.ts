// Runs one command in a container over the exec subresource (client-node Exec, WebSocket) and collects its
// output. The command is an argv array: nothing is ever passed through a shell.
import {Writable} from 'node:stream'
import type {KubeConfig, V1Status} from '@kubernetes/client-node'
import {KubeError, type Endpoint} from '../kube/errors.js'
import {CapturingWebSocketHandler, upgradeError} from './upgrade-errors.js'

export interface ExecTarget {
  kc: KubeConfig
  endpoint: Endpoint
  secrets: Array<string | undefined>
  namespace: string
  pod: string
  container: string
  timeoutMs: number
}

export interface ExecResult {
  stdout: string
  stderr: string
  /** 0 on success; the command's exit code, or -1 when the status gave none. */
  exitCode: number
  /** The status message on failure (e.g. "command terminated with non-zero exit code …"). */
  message?: string
}

function collector(): {stream: Writable; text: () => string} {
  const chunks: Buffer[] = []
  const stream = new Writable({write(chunk, _enc, cb) { chunks.push(Buffer.from(chunk)); cb() }})
  return {stream, text: () => Buffer.concat(chunks).toString('utf8')}
}

function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode')
  const code = Number(cause?.message)
  return Number.isInteger(code) ? code : -1
}

export async function execInContainer(t: ExecTarget, argv: string[]): Promise<ExecResult> {
  const {Exec} = await import('../kube/client-node-core.js')
  const handler = new CapturingWebSocketHandler(t.kc)
  const out = collector()
  const err = collector()
  const target = {verb: 'create', resource: 'pods/exec', namespace: t.namespace, name: t.pod}
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false
    let socket: {close(): void} | undefined
    const finish = (f: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      f()
    }
    const timer = setTimeout(() => finish(() => {
      socket?.close()
      reject(new KubeError('timeout', `exec of "${argv[0]}" in ${t.namespace}/${t.pod} (container ${t.container}) gave no answer within ${t.timeoutMs} ms`))
    }), t.timeoutMs)
    new Exec(t.kc, handler)
      .exec(t.namespace, t.pod, t.container, argv, out.stream, err.stream, null, false, (status) => {
        // The status frame comes after all output frames.
        finish(() => resolve({stdout: out.text(), stderr: err.text(), exitCode: exitCodeOf(status), message: status.status === 'Success' ? undefined : status.message}))
      })
      .then((ws) => {
        socket = ws
        // A server that closes without a status frame would leave us waiting; treat it as a failure.
        ws.on('close', () => setImmediate(() => finish(() => resolve({stdout: out.text(), stderr: err.text(), exitCode: -1, message: 'the exec stream closed without an exit status'}))))
      })
      .catch((e: unknown) => finish(() => reject(upgradeError((e as {error?: unknown})?.error ?? e, handler.refusal, t.endpoint, target, t.secrets))))
  })
}
