// pods/exec over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io): a handful of shell builtins in every container,
// plus whatever executables the container's behaviour adds.
import type {WebSocket} from 'ws'
import type {ContainerBehaviour, ExecCommand, ExecIo} from './behaviour.js'
import type {KubeObject} from './types.js'

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io']

function commandsFor(pod: KubeObject, behaviour: ContainerBehaviour): Record<string, ExecCommand> {
  const base: Record<string, ExecCommand> = {
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
      io.err(`sh: unsupported in the emulator: ${script}\n`)
      return 2
    },
  }
  return {...base, ...behaviour.exec}
}

const STATUS_SUCCESS = {metadata: {}, status: 'Success'}
const statusFailure = (argv: string[], code: number) => ({
  metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
  reason: 'NonZeroExitCode', details: {causes: [{reason: 'ExitCode', message: String(code)}]},
})

export function runExec(ws: WebSocket, pod: KubeObject, behaviour: ContainerBehaviour, argv: string[]): void {
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
  const io: ExecIo = {
    out: (t) => send(1, t),
    err: (t) => send(2, t),
    stdin: async () => { await stdinClosed; return Buffer.concat(stdinChunks) },
  }
  const cmd = commandsFor(pod, behaviour)[argv[0]]
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
