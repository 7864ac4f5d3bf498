// Kubeconfig loading the way kubectl does it (not client-node): --kubeconfig, else every file in
// KUBECONFIG merged with the first file winning for duplicate names and for current-context, else
// ~/.kube/config; --context; the namespace from the context. Cheap: only js-yaml, no client-node.
import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {delimiter, dirname, isAbsolute, join, resolve} from 'node:path'
import * as yaml from 'js-yaml'
import {KubeError} from './errors.js'

export interface ExecConfig {
  command: string
  args?: string[]
  env?: Array<{name: string; value: string}> | null
  apiVersion?: string
  installHint?: string
  provideClusterInfo?: boolean
  interactiveMode?: string
}

export interface ClusterEntry {
  server: string
  'certificate-authority'?: string
  'certificate-authority-data'?: string
  'insecure-skip-tls-verify'?: boolean
  'tls-server-name'?: string
  'proxy-url'?: string
}

export interface UserEntry {
  token?: string
  tokenFile?: string
  'client-certificate'?: string
  'client-certificate-data'?: string
  'client-key'?: string
  'client-key-data'?: string
  username?: string
  password?: string
  exec?: ExecConfig
  'auth-provider'?: {name: string; config?: Record<string, string>}
}

export interface ContextEntry {
  cluster: string
  user: string
  namespace?: string
}

interface Named<T> {name: string; value: T; file: string}

export interface MergedKubeconfig {
  files: string[]
  clusters: Array<Named<ClusterEntry>>
  users: Array<Named<UserEntry>>
  contexts: Array<Named<ContextEntry>>
  currentContext?: string
}

export interface ResolvedKubeconfig {
  files: string[]
  contextName: string
  clusterName: string
  userName: string
  cluster: ClusterEntry
  user: UserEntry
  /** The namespace from --namespace, else from the context, else "default". */
  namespace: string
  /** Whether the namespace came from the flag or the context rather than the "default" fallback. */
  namespaceExplicit: boolean
  merged: MergedKubeconfig
}

export interface KubeconfigOptions {
  kubeconfig?: string
  context?: string
  namespace?: string
  env?: NodeJS.ProcessEnv
  home?: string
}

/** The files kubectl would read, in precedence order. */
export function kubeconfigFiles(opts: KubeconfigOptions = {}): {files: string[]; source: string} {
  const env = opts.env ?? process.env
  if (opts.kubeconfig) return {files: [resolve(opts.kubeconfig)], source: '--kubeconfig'}
  if (env.KUBECONFIG) {
    const files = env.KUBECONFIG.split(delimiter).filter(Boolean).map((f) => resolve(f))
    return {files: [...new Set(files)], source: 'KUBECONFIG'}
  }
  return {files: [join(opts.home ?? homedir(), '.kube', 'config')], source: 'default'}
}

const PATH_KEYS: Record<string, string[]> = {cluster: ['certificate-authority'], user: ['client-certificate', 'client-key', 'tokenFile']}

function absolutize(entry: Record<string, any>, kind: 'cluster' | 'user', base: string): void {
  for (const k of PATH_KEYS[kind]) if (typeof entry[k] === 'string' && entry[k] && !isAbsolute(entry[k])) entry[k] = join(base, entry[k])
  // Like kubectl, an exec command with a path separator is relative to the kubeconfig's directory.
  if (kind === 'user' && entry.exec?.command && entry.exec.command.includes('/') && !isAbsolute(entry.exec.command)) entry.exec.command = join(base, entry.exec.command)
}

export function mergeKubeconfigs(opts: KubeconfigOptions = {}): MergedKubeconfig {
  const {files, source} = kubeconfigFiles(opts)
  const merged: MergedKubeconfig = {files: [], clusters: [], users: [], contexts: []}
  for (const file of files) {
    if (!existsSync(file)) {
      if (source === '--kubeconfig') throw new KubeError('config', `kubeconfig file ${file} does not exist (from --kubeconfig)`)
      continue
    }
    let doc: any
    try {
      doc = yaml.load(readFileSync(file, 'utf8')) ?? {}
    } catch (e) {
      // js-yaml quotes the text around the error (a token, a key): say where, not what.
      const mark = (e as {mark?: {line: number; column: number}}).mark
      const reason = String((e as {reason?: string}).reason ?? 'not valid YAML').replace(/!<[^>]*>|"[^"]*"|'[^']*'/g, '…')
      throw new KubeError('config', `cannot parse kubeconfig ${file}${mark ? `:${mark.line + 1}:${mark.column + 1}` : ''}: ${reason}`)
    }
    if (typeof doc !== 'object') throw new KubeError('config', `kubeconfig ${file} is not a YAML mapping`)
    merged.files.push(file)
    const base = dirname(file)
    const take = <T>(list: any[] | undefined, key: string, into: Array<Named<T>>, kind?: 'cluster' | 'user') => {
      for (const item of list ?? []) {
        if (!item?.name || into.some((x) => x.name === item.name)) continue // first file wins
        const value = structuredClone(item[key] ?? {})
        if (kind) absolutize(value, kind, base)
        into.push({name: item.name, value, file})
      }
    }
    take<ClusterEntry>(doc.clusters, 'cluster', merged.clusters, 'cluster')
    take<UserEntry>(doc.users, 'user', merged.users, 'user')
    take<ContextEntry>(doc.contexts, 'context', merged.contexts)
    if (!merged.currentContext && doc['current-context']) merged.currentContext = doc['current-context']
  }
  if (merged.files.length === 0) {
    throw new KubeError('config', files.length === 1
      ? `no kubeconfig found at ${files[0]}${source === 'KUBECONFIG' ? ' (from KUBECONFIG)' : ''}: pass --kubeconfig, set KUBECONFIG, or start one with \`aerakictl playground\``
      : `none of the KUBECONFIG files exist: ${files.join(', ')}`)
  }
  return merged
}

export function resolveKubeconfig(opts: KubeconfigOptions = {}): ResolvedKubeconfig {
  const merged = mergeKubeconfigs(opts)
  const where = merged.files.join(', ')
  const contextName = opts.context || merged.currentContext
  const names = merged.contexts.map((c) => c.name).join(', ') || 'none'
  if (!contextName) throw new KubeError('config', `no current context in ${where}: pass --context (contexts: ${names})`)
  const ctx = merged.contexts.find((c) => c.name === contextName)
  if (!ctx) throw new KubeError('config', `context "${contextName}" not found in ${where} (contexts: ${names})`)
  const cluster = merged.clusters.find((c) => c.name === ctx.value.cluster)
  if (!cluster) throw new KubeError('config', `context "${contextName}" refers to cluster "${ctx.value.cluster}", which is not in ${where}`)
  if (!cluster.value.server) throw new KubeError('config', `cluster "${cluster.name}" in ${cluster.file} has no server URL`)
  const user = merged.users.find((u) => u.name === ctx.value.user)
  const namespace = opts.namespace || ctx.value.namespace || 'default'
  return {
    files: merged.files, contextName, clusterName: cluster.name, userName: ctx.value.user ?? '',
    cluster: cluster.value, user: user?.value ?? {}, namespace, namespaceExplicit: Boolean(opts.namespace || ctx.value.namespace), merged,
  }
}
