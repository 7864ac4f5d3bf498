// What a container does in the emulator, supplied from outside: the emulator runs the Kubernetes side (pod
// lifecycle, pods/exec, pods/portforward, pods/log) and asks a ContainerBehaviour what the process inside answers.
import type {Cluster} from './cluster.js'
import type {Logs} from './logs.js'
import type {KubeObject} from './types.js'

/** The streams of one exec session. */
export interface ExecIo {
  out(text: string | Buffer): void
  err(text: string): void
  /** Resolves with stdin once it is closed (v5 close frame or end of socket). */
  stdin(): Promise<Buffer>
}

/** One executable: argv[0] is its name; resolves with the exit code. */
export type ExecCommand = (argv: string[], io: ExecIo) => Promise<number> | number

/** One HTTP/1.1 request that reached a pod port through port-forward. */
export interface HttpRequest {
  method: string
  /** Request target as sent, e.g. `/config_dump?include_eds`. */
  target: string
  headers: Map<string, string>
  body: Buffer
}

export interface HttpResponse {status: number; contentType: string; body: string; headers?: Record<string, string>}

/** A server listening on a pod port; the emulator speaks HTTP/1.1 on its behalf. */
export type HttpHandler = (req: HttpRequest) => HttpResponse

/** The server listening on a port of one pod, if any. */
export type PortLookup = (port: number) => HttpHandler | undefined

export interface ContainerBehaviour {
  /** Executables in the container besides the emulator's shell builtins (echo, cat, hostname, true, false, sh -c). */
  exec?: Record<string, ExecCommand>
  /** The server on `port`, or undefined when nothing in this container listens there (connection refused). */
  port?(port: number): HttpHandler | undefined
  /** Called once the pod is Running: write log lines with `log`; return a function that stops the process. */
  run?(log: (text: string) => void): (() => void) | void
}

export interface ContainerSpec {
  name: string
  image?: string
  [key: string]: unknown
}

/** Extends an emulator with a product's behaviour: objects to seed, admission, and what containers do. */
export interface EmulatorPlugin {
  /** Called once before the server listens (after the base seed): store objects, subscribe to cluster events. */
  install?(ctx: {cluster: Cluster; logs: Logs}): void
  /** What `container` of `pod` does; undefined leaves it a plain container (builtins only, no ports, no logs). */
  container?(pod: KubeObject, container: ContainerSpec, cluster: Cluster): ContainerBehaviour | undefined
  /** Called on close: stop timers. */
  stop?(): void
}
