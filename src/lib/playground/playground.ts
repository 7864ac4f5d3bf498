// `aerakictl playground` as a library: claim the kubeconfig path (an owner file made with O_EXCL, so a second
// playground refuses while the first is alive), start the emulator, then (only once it listens) write the
// kubeconfig through an exclusive 0600 temp file in a private 0700 directory beside it and rename it into place;
// on stop remove only the files this process wrote, so scripts never pick up a dead playground.
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import * as yaml from 'js-yaml'
import {InputError} from '../resources/errors.js'
import {fsReason} from '../resources/read.js'
import {makeDirs} from '../../../bin/make-dirs.js'
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

/** The owner file of a kubeconfig path: the pid of the playground that writes it. */
export function ownerFileOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.owner`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function fsError(e: unknown, path: string, what: string): InputError {
  return new InputError(`cannot ${what} ${path}: ${fsReason(e)} (choose another --kubeconfig path)`, '--kubeconfig')
}

/** Writes `text` to a new file (O_CREAT|O_EXCL, 0600): never through a file or link someone else put there. */
function writeExclusive(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
}

/**
 * Claims `path` for this process: refuses while a live playground owns it; a dead owner's files are cleared
 * (its kubeconfig only if it is a playground kubeconfig). Returns the owner file to release on stop.
 */
function claim(path: string): string {
  const owner = ownerFileOf(path)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeExclusive(owner, `${process.pid}\n`)
      break
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw fsError(e, owner, 'create')
      const pid = Number.parseInt(readFileSync(owner, 'utf8'), 10)
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new InputError(`another playground (pid ${pid}) is serving with ${path}; stop it first or choose another --kubeconfig path`, '--kubeconfig')
      }
      rmSync(owner, {force: true}) // its process is gone
    }
  }
  try {
    if (existsSync(path)) {
      if (!isPlaygroundKubeconfig(path)) throw new InputError(`refusing to overwrite ${path}: it is not a playground kubeconfig (choose another --kubeconfig path)`, '--kubeconfig')
      rmSync(path) // left by a playground that is no longer running
    }
  } catch (e) {
    release(owner)
    throw e
  }
  return owner
}

/** Removes the owner file if it is still ours. */
function release(owner: string): void {
  try {
    if (Number.parseInt(readFileSync(owner, 'utf8'), 10) === process.pid) rmSync(owner)
  } catch {
    // already gone
  }
}

/** Writes the kubeconfig: exclusive 0600 file in a private (0700) temp directory beside it, renamed into place. */
function writeKubeconfig(path: string, text: string): {dev: number; ino: number} {
  const dir = mkdtempSync(join(dirname(path), '.aerakictl-playground-'))
  const tmp = join(dir, 'kubeconfig')
  try {
    writeExclusive(tmp, text)
    renameSync(tmp, path)
  } finally {
    rmSync(tmp, {force: true})
    rmdirSync(dir)
  }
  const st = statSync(path)
  return {dev: st.dev, ino: st.ino}
}

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) throw new InputError(`must be an integer from 0 to 65535, not ${opts.port}`, '--port')
  if (opts.speed !== undefined && !(opts.speed > 0 && opts.speed <= 1000)) throw new InputError(`must be a number above 0 and at most 1000, not ${opts.speed}`, '--speed')
  const path = opts.kubeconfigPath
  try {
    makeDirs(dirname(path), 0o700)
  } catch (e) {
    throw fsError(e, dirname(path), 'create the directory')
  }
  const owner = claim(path)
  let emulator: Emulator
  try {
    const log = opts.requestLog
    emulator = await startAerakiEmulator({
      port: opts.port ?? 0, speed: opts.speed, bare: opts.bare,
      onRequest: log ? (e) => log(`${new Date().toISOString()} ${e.method} ${e.url} ${e.upgrade ? 'upgrade' : e.status} ${e.ms}ms`) : undefined,
    })
  } catch (e) {
    release(owner)
    const err = e as NodeJS.ErrnoException
    if (err.code === 'EADDRINUSE') throw new InputError(`port ${opts.port} on 127.0.0.1 is in use; pick another --port or --port 0 for a free one`, '--port')
    throw e
  }
  let written: {dev: number; ino: number}
  try {
    written = writeKubeconfig(path, emulator.kubeconfigYaml())
  } catch (e) {
    release(owner)
    await emulator.close()
    throw fsError(e, path, 'write')
  }
  return {
    emulator, kubeconfigPath: path,
    async stop() {
      // Only the file this process wrote (same inode, still naming this emulator), never one put there since.
      try {
        const st = statSync(path)
        if (st.dev === written.dev && st.ino === written.ino && readFileSync(path, 'utf8').includes(emulator.url)) rmSync(path)
      } catch {
        // already gone
      }
      release(owner)
      await emulator.close()
    },
  }
}
