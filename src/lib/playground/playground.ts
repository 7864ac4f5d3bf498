// `aerakictl playground` as a library: start the emulator, then (only once it listens) write the
// kubeconfig atomically; remove it again on stop so scripts never pick up a dead playground.
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import * as yaml from 'js-yaml'
import {InputError} from '../resources/errors.js'
import {DEFAULT_CONTEXT as PLAYGROUND_CONTEXT, type Emulator} from '@aerakictl/kube-emulator'
import {startAerakiEmulator} from './index.js'

export interface PlaygroundOptions {
  kubeconfigPath: string
  port?: number
  speed?: number
  bare?: boolean
  /** Receives one line per API request (for --log-requests). */
  requestLog?: (line: string) => void
}

export interface Playground {
  emulator: Emulator
  kubeconfigPath: string
  stop(): Promise<void>
}

export function defaultKubeconfigPath(configDir: string): string {
  return join(configDir, 'playground.kubeconfig')
}

/** A file we may overwrite: absent, or a kubeconfig whose only context is the playground's. */
function isPlaygroundKubeconfig(path: string): boolean {
  try {
    const doc: any = yaml.load(readFileSync(path, 'utf8'))
    const contexts: any[] = doc?.contexts ?? []
    return contexts.length === 1 && contexts[0]?.name === PLAYGROUND_CONTEXT
  } catch {
    return false
  }
}

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) throw new InputError(`must be an integer from 0 to 65535, not ${opts.port}`, '--port')
  if (opts.speed !== undefined && !(opts.speed > 0 && opts.speed <= 1000)) throw new InputError(`must be a number above 0 and at most 1000, not ${opts.speed}`, '--speed')
  const path = opts.kubeconfigPath
  if (existsSync(path)) {
    if (!isPlaygroundKubeconfig(path)) throw new InputError(`refusing to overwrite ${path}: it is not a playground kubeconfig (choose another --kubeconfig path)`, '--kubeconfig')
    rmSync(path) // a stale file from an earlier run must not look like a live playground
  }
  let emulator: Emulator
  try {
    const log = opts.requestLog
    emulator = await startAerakiEmulator({
      port: opts.port ?? 0, speed: opts.speed, bare: opts.bare,
      onRequest: log ? (e) => log(`${new Date().toISOString()} ${e.method} ${e.url} ${e.upgrade ? 'upgrade' : e.status} ${e.ms}ms`) : undefined,
    })
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    if (err.code === 'EADDRINUSE') throw new InputError(`port ${opts.port} on 127.0.0.1 is in use; pick another --port or --port 0 for a free one`, '--port')
    throw e
  }
  mkdirSync(dirname(path), {recursive: true})
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, emulator.kubeconfigYaml(), {mode: 0o600})
  renameSync(tmp, path)
  return {
    emulator, kubeconfigPath: path,
    async stop() {
      if (existsSync(path) && isPlaygroundKubeconfig(path) && readFileSync(path, 'utf8').includes(emulator.url)) rmSync(path)
      await emulator.close()
    },
  }
}
