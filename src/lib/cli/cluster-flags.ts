// kubectl's connection flags, shared by every command that talks to a cluster.
import * as Flags from '@oclif/core/flags'

export const clusterFlags = {
  kubeconfig: Flags.string({summary: 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)'}),
  context: Flags.string({summary: 'The kubeconfig context to use'}),
  namespace: Flags.string({char: 'n', summary: 'Namespace (default: the context\'s namespace)'}),
}

/**
 * `--from-cluster` with the kubeconfig and context it reads, for commands that work offline by default.
 * `alsoWith` names other flags that use the connection (e.g. --pod).
 */
export function fromClusterFlags(summary: string, alsoWith?: string) {
  const when = `with --from-cluster${alsoWith ? ` or ${alsoWith}` : ''}`
  return {
    'from-cluster': Flags.boolean({summary}),
    kubeconfig: Flags.string({summary: `Path to the kubeconfig file (${when})`}),
    context: Flags.string({summary: `The kubeconfig context to use (${when})`}),
  }
}

/** The connection chosen by fromClusterFlags, or nothing when --from-cluster is off. */
export function fromClusterOption(flags: {'from-cluster'?: boolean; kubeconfig?: string; context?: string}): {fromCluster?: {kubeconfig?: string; context?: string}} {
  return flags['from-cluster'] ? {fromCluster: {kubeconfig: flags.kubeconfig, context: flags.context}} : {}
}

/**
 * A saved Envoy config dump, FILE or - for stdin: always --config-dump (-f is always manifests).
 * `--file` stays as a hidden alias for scripts written before.
 */
export function configDumpFlag(summary: string) {
  return Flags.string({summary, aliases: ['file'], helpValue: 'FILE|-'})
}
