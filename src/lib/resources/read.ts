// Reads manifests from files, folders and `-` (stdin), the way `kubectl apply -f` does: a folder's *.yaml, *.yml and
// *.json files (only its own unless `recursive`, kubectl's -R), `.git` and other dot-folders and empty folders ignored.
import {readFile, readdir, stat} from 'node:fs/promises'
import {join, extname} from 'node:path'
import {InputError} from './errors.js'
import {parseManifests} from './parse.js'
import {maxInputBytes} from './limits.js'
import {readStdin} from './stdin.js'
import type {Loaded} from './types.js'

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

const RAISE_IT = '--max-input-mb or AERAKICTL_MAX_INPUT_MB raises it'

/** Why a path cannot be read, in words, for a bad-input message that names it (never with a stack). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOENT': return 'no such file or directory'
    case 'EACCES': case 'EPERM': return 'permission denied'
    case 'ELOOP': return 'too many levels of symbolic links (a link loop?)'
    case 'ENOTDIR': return 'a parent is not a directory'
    case 'EISDIR': return 'is a directory'
    case 'ENAMETOOLONG': return 'name too long'
    case 'EROFS': return 'read-only file system'
    default: return code ?? 'cannot be read'
  }
}

async function readText(file: string, maxMb?: number): Promise<string> {
  let info
  try {
    info = await stat(file)
  } catch (e) {
    throw new InputError(fsReason(e), file)
  }
  const max = maxInputBytes(maxMb)
  if (info.size > max) throw new InputError(`${(info.size / 1024 / 1024).toFixed(1)} MB is more than the ${max / 1024 / 1024} MB input limit (${RAISE_IT})`, file)
  try {
    return await readFile(file, 'utf8')
  } catch (e) {
    throw new InputError(fsReason(e), file)
  }
}

export interface ReadOptions {
  /** Walk sub-folders too (kubectl's -R/--recursive). */
  recursive?: boolean
  /** --max-input-mb: the largest file read, in MB (see maxInputBytes). */
  maxInputMb?: number
}

/**
 * Named files must hold Kubernetes objects only. Files found by walking a folder may also hold other YAML (the demo
 * folders keep the rate limit service's config.yaml beside the manifests): such files are skipped with a note
 * (`onSkip`, or dropped silently without it) instead of failing the whole read.
 */
export async function readManifests(paths: string[], stdin: () => Promise<string> = readStdin, onSkip?: (note: string) => void, options: ReadOptions = {}): Promise<Loaded[]> {
  const out: Loaded[] = []
  for (const p of paths) {
    if (p === '-') {
      const text = await stdin()
      const max = maxInputBytes(options.maxInputMb)
      if (text.length > max) throw new InputError(`more than the ${max / 1024 / 1024} MB input limit (${RAISE_IT})`, '<stdin>')
      // One push per object: a spread of 130,000 documents overflows the call stack.
      for (const l of parseManifests(text, '<stdin>')) out.push(l)
      continue
    }
    const files = await expand(p, options.recursive ?? false)
    const walked = files.length > 1 || files[0] !== p
    for (const file of files) {
      try {
        for (const l of parseManifests(await readText(file, options.maxInputMb), file)) out.push(l)
      } catch (e) {
        if (!(walked && e instanceof InputError && /has no "(kind|apiVersion)"|expected a Kubernetes object/.test(e.message))) throw e
        onSkip?.(`${file}: not a Kubernetes manifest, skipped (${e.message})`)
      }
    }
  }
  return out
}

const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ApplicationProtocol', 'ClusterRole', 'ClusterRoleBinding', 'Node', 'PersistentVolume', 'StorageClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'PriorityClass'])

/** Like `kubectl apply -n NS`: namespaced objects without a namespace get NS. */
export function withDefaultNamespace(objects: Loaded[], namespace: string): Loaded[] {
  for (const l of objects) {
    if (CLUSTER_SCOPED.has(l.obj.kind ?? '')) continue
    l.obj.metadata = l.obj.metadata ?? {}
    if (!l.obj.metadata.namespace) l.obj.metadata.namespace = namespace
  }
  return objects
}

async function expand(path: string, recursive: boolean): Promise<string[]> {
  let info
  try {
    info = await stat(path)
  } catch (e) {
    throw new InputError(`${fsReason(e)}: ${path}`)
  }
  if (info.isFile()) return [path]
  if (!info.isDirectory()) throw new InputError(`not a file or directory: ${path}`)
  const files = await walk(path, recursive)
  if (files.length === 0) throw new InputError(`no .yaml, .yml or .json files in ${path}${recursive ? '' : ' (sub-folders are read with -R)'}`)
  return files
}

async function walk(dir: string, recursive: boolean): Promise<string[]> {
  let listed
  try {
    listed = await readdir(dir, {withFileTypes: true})
  } catch (e) {
    throw new InputError(`cannot list the folder: ${fsReason(e)}`, dir)
  }
  const entries = listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const files: string[] = []
  for (const e of entries) {
    const full = join(dir, e.name)
    if (e.isDirectory()) {
      if (recursive && !e.name.startsWith('.')) for (const f of await walk(full, true)) files.push(f)
    } else if (MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) files.push(full)
  }
  return files
}
