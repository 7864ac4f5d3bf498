// kubectl's connection flags, shared by every command that talks to a cluster: one definition of each, so that
// names, short forms, help and validation messages agree everywhere (test/commands/flags.test.ts checks the table).
import {CLIError} from '@oclif/core/errors'
import * as Flags from '@oclif/core/flags'
import {parseSecondsOrGoDuration} from '../routing/duration.js'


/**
 * Seconds from a --request-timeout value as kubectl takes it (kubernetes/kubectl, pkg/cmd/util and client-go
 * rest.Config.Timeout: a bare number is seconds, else a Go duration such as 30s, 2m, 1m30s). Unlike kubectl, 0
 * ("no timeout") is refused: every read here has a bound.
 */
export function parseRequestTimeout(text: string): number {
  const ms = parseSecondsOrGoDuration(text)
  if (ms === undefined || !Number.isFinite(ms) || ms < 1000) throw new Error(`expected a duration greater than or equal to 1s, such as 30 (seconds), 30s or 2m, not ${JSON.stringify(text)}`)
  return ms / 1000
}

/** kubectl's --request-timeout, in seconds (default 30). */
export const requestTimeoutFlag = Flags.custom<number>({
  summary: 'How long to wait for each request to the cluster or the pod, as kubectl takes it: 30 (seconds), 30s, 2m (at least 1s)',
  helpValue: 'DURATION',
  default: 30,
  // A CLIError with exit 2: reported as oclif reports its own flag errors (bad flags, exit 2).
  parse: async (input) => {
    try {
      return parseRequestTimeout(input)
    } catch (e) {
      throw new CLIError((e as Error).message, {exit: 2})
    }
  },
})

export const clusterFlags = {
  kubeconfig: Flags.string({summary: 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)'}),
  context: Flags.string({summary: 'The kubeconfig context to use'}),
  namespace: Flags.string({char: 'n', summary: 'Namespace (default: the context\'s namespace)'}),
  'request-timeout': requestTimeoutFlag(),
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
    'request-timeout': requestTimeoutFlag(),
  }
}

/** The cluster read by --from-cluster. */
export interface FromCluster {
  kubeconfig?: string
  context?: string
  /** Per-request timeout (--request-timeout). */
  timeoutMs?: number
}

/** The connection chosen by fromClusterFlags, or nothing when --from-cluster is off. */
export function fromClusterOption(flags: {'from-cluster'?: boolean; kubeconfig?: string; context?: string; 'request-timeout'?: number}): {fromCluster?: FromCluster} {
  return flags['from-cluster'] ? {fromCluster: {kubeconfig: flags.kubeconfig, context: flags.context, timeoutMs: flags['request-timeout'] === undefined ? undefined : flags['request-timeout'] * 1000}} : {}
}

/**
 * A saved Envoy config dump, FILE or - for stdin: always --config-dump (-f is always manifests).
 * `--file` stays as a hidden alias for scripts written before.
 */
export function configDumpFlag(summary: string) {
  return Flags.string({summary, aliases: ['file'], helpValue: 'FILE|-'})
}
