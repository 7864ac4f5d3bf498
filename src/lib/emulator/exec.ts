// pods/exec over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io): a handful of commands, and in
// istio-proxy `pilot-agent request GET <path>` and `curl http://127.0.0.1:15000/<path>`.
import type {WebSocket} from 'ws'
import type {KubeObject} from '../resources/types.js'
import type {Cluster} from './cluster.js'
import {adminRequest} from './sidecar-admin.js'

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io']

interface Io {
  out(text: string | Buffer): void
  err(text: string): void
  /** Resolves with stdin once it is closed (v5 close frame or end of socket). */
  stdin(): Promise<Buffer>
}

type Command = (argv: string[], io: Io) => Promise<number> | number

function adminCommand(cluster: Cluster, pod: KubeObject, path: string, io: Io): number {
  const r = adminRequest(cluster, pod, path)
  io.out(r.body)
  return r.status === 200 ? 0 : 1
}

function commandsFor(cluster: Cluster, pod: KubeObject, container: string): Record<string, Command> {
  const base: Record<string, Command> = {
    echo: (argv, io) => { io.out(`${argv.slice(1).join(' ')}\n`); return 0 },
    cat: async (argv, io) => { if (argv.length > 1) { io.err(`cat: ${argv[1]}: No such file or directory\n`); return 1 } io.out(await io.stdin()); return 0 },
    hostname: (_a, io) => { io.out(`${pod.metadata!.name}\n`); return 0 },
    true: () => 0,
    false: () => 1,
    sh: (argv, io) => {
      const script = argv[1] === '-c' ? argv[2] ?? '' : ''
      const exit = /^\s*exit\s+(\d+)\s*$/.exec(script)
      if (exit) return Number(exit[1])
      const echo = /^\s*echo\s+(.*)$/.exec(script)
      if (echo) { io.out(`${echo[1].replace(/^['"]|['"]$/g, '')}\n`); return 0 }
      io.err(`sh: unsupported in the playground: ${script}\n`)
      return 2
    },
  }
  if (container !== 'istio-proxy') return base
  return {
    ...base,
    'pilot-agent': (argv, io) => {
      if (argv[1] !== 'request' || !argv[2] || !argv[3]) { io.err('Usage: pilot-agent request <method> <path> [flags]\n'); return 1 }
      if (argv[2].toUpperCase() !== 'GET') { io.err(`playground: only GET is emulated, not ${argv[2]}\n`); return 1 }
      return adminCommand(cluster, pod, argv[3], io)
    },
    curl: (argv, io) => {
      const url = argv.slice(1).find((a) => /^(https?:\/\/)?(127\.0\.0\.1|localhost):15000(\/|$)/.test(a))
      if (!url) { io.err(`curl: (7) Failed to connect: Connection refused\n`); return 7 }
      return adminCommand(cluster, pod, url.replace(/^(https?:\/\/)?[^/]+/, '') || '/', io)
    },
  }
}

const STATUS_SUCCESS = {metadata: {}, status: 'Success'}
const statusFailure = (argv: string[], code: number) => ({
  metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
  reason: 'NonZeroExitCode', details: {causes: [{reason: 'ExitCode', message: String(code)}]},
})

export function runExec(ws: WebSocket, cluster: Cluster, pod: KubeObject, container: string, argv: string[]): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io'
  const send = (ch: number, data: string | Buffer) => { if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(data)])) }
  const stdinChunks: Buffer[] = []
  let stdinDone: () => void = () => {}
  const stdinClosed = new Promise<void>((resolve) => { stdinDone = resolve })
  ws.on('message', (data: Buffer) => {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer)
    if (buf[0] === 0) stdinChunks.push(buf.subarray(1))
    else if (v5 && buf[0] === 255 && buf[1] === 0) stdinDone()
  })
  ws.on('close', () => stdinDone())
  const io: Io = {
    out: (t) => send(1, t),
    err: (t) => send(2, t),
    stdin: async () => { await stdinClosed; return Buffer.concat(stdinChunks) },
  }
  const cmd = commandsFor(cluster, pod, container)[argv[0]]
  const run = async (): Promise<number> => {
    if (!cmd) {
      io.err(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0]}": executable file not found in $PATH: unknown\r\n`)
      return 126
    }
    return cmd(argv, io)
  }
  run().catch((e) => { io.err(`${(e as Error).message}\n`); return 1 }).then((code) => {
    send(3, JSON.stringify(code === 0 ? STATUS_SUCCESS : statusFailure(argv, code)))
    ws.close(1000)
  })
}
