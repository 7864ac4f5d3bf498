// Reads manifests from files, folders (recursively, *.yaml|*.yml|*.json) and `-` (stdin).
import {readFile, readdir, stat} from 'node:fs/promises'
import {join, extname} from 'node:path'
import {InputError} from './errors.js'
import {parseManifests} from './parse.js'
import {readStdin} from './stdin.js'
import type {Loaded} from './types.js'

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

/**
 * Named files must hold Kubernetes objects only. Files found by walking a folder may also hold other YAML (the demo
 * folders keep the rate limit service's config.yaml beside the manifests): with `onSkip`, such files are skipped
 * and reported instead of failing the whole read.
 */
export async function readManifests(paths: string[], stdin: () => Promise<string> = readStdin, onSkip?: (note: string) => void): Promise<Loaded[]> {
  const out: Loaded[] = []
  for (const p of paths) {
    if (p === '-') {
      out.push(...parseManifests(await stdin(), '<stdin>'))
      continue
    }
    const files = await expand(p)
    const walked = files.length > 1 || files[0] !== p
    for (const file of files) {
      try {
        out.push(...parseManifests(await readFile(file, 'utf8'), file))
      } catch (e) {
        if (!(walked && onSkip && e instanceof InputError && /has no "(kind|apiVersion)"|expected a Kubernetes object/.test(e.message))) throw e
        onSkip(`${e.message} (skipped: not a Kubernetes manifest)`)
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

async function expand(path: string): Promise<string[]> {
  let info
  try {
    info = await stat(path)
  } catch {
    throw new InputError(`no such file or directory: ${path}`)
  }
  if (info.isFile()) return [path]
  if (!info.isDirectory()) throw new InputError(`not a file or directory: ${path}`)
  const entries = (await readdir(path, {withFileTypes: true})).sort((a, b) => a.name.localeCompare(b.name))
  const files: string[] = []
  for (const e of entries) {
    const full = join(path, e.name)
    if (e.isDirectory()) files.push(...(await expand(full)))
    else if (MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) files.push(full)
  }
  if (files.length === 0) throw new InputError(`no .yaml, .yml or .json files in ${path}`)
  return files
}
