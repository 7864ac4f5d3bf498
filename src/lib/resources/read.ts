// Reads manifests from files, folders and `-` (stdin), the way `kubectl apply -f` does: a folder's *.yaml, *.yml and
// *.json files (only its own unless `recursive`, kubectl's -R), `.git` and other dot-folders and empty folders ignored.
import {readFile, readdir, stat} from 'node:fs/promises'
import {join, extname} from 'node:path'
import {InputError} from './errors.js'
import {parseManifests} from './parse.js'
import {readStdin} from './stdin.js'
import type {Loaded} from './types.js'

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

export interface ReadOptions {
  /** Walk sub-folders too (kubectl's -R/--recursive). */
  recursive?: boolean
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
      out.push(...parseManifests(await stdin(), '<stdin>'))
      continue
    }
    const files = await expand(p, options.recursive ?? false)
    const walked = files.length > 1 || files[0] !== p
    for (const file of files) {
      try {
        out.push(...parseManifests(await readFile(file, 'utf8'), file))
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
  } catch {
    throw new InputError(`no such file or directory: ${path}`)
  }
  if (info.isFile()) return [path]
  if (!info.isDirectory()) throw new InputError(`not a file or directory: ${path}`)
  const files = await walk(path, recursive)
  if (files.length === 0) throw new InputError(`no .yaml, .yml or .json files in ${path}${recursive ? '' : ' (sub-folders are read with -R)'}`)
  return files
}

async function walk(dir: string, recursive: boolean): Promise<string[]> {
  const entries = (await readdir(dir, {withFileTypes: true})).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const files: string[] = []
  for (const e of entries) {
    const full = join(dir, e.name)
    if (e.isDirectory()) {
      if (recursive && !e.name.startsWith('.')) files.push(...(await walk(full, true)))
    } else if (MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) files.push(full)
  }
  return files
}
