// kubectl's connection flags, shared by every command that talks to a cluster.
import * as Flags from '@oclif/core/flags'

export const clusterFlags = {
  kubeconfig: Flags.string({summary: 'Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)'}),
  context: Flags.string({summary: 'The kubeconfig context to use'}),
  namespace: Flags.string({char: 'n', summary: 'Namespace (default: the context\'s namespace)'}),
}
