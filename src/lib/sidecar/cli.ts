// Shared by the commands that read a sidecar: the kubectl-style flags, APP/NAMESPACE arguments and how
// cluster errors are printed (one actionable line, no stack: they are not bugs).
import * as Flags from '@oclif/core/flags'
import {InputError} from '../resources/errors.js'
import {clusterFlags, requestTimeoutFlag} from '../cli/cluster-flags.js'

export const kubeFlags = {
  namespace: Flags.string({char: 'n', summary: 'Namespace of the pod (default: the NAMESPACE argument, else the context\'s namespace)'}),
  context: clusterFlags.context,
  kubeconfig: clusterFlags.kubeconfig,
  container: Flags.string({char: 'c', summary: 'Container running the Envoy sidecar', default: 'istio-proxy'}),
  'request-timeout': requestTimeoutFlag(),
}

export {namespaceOf} from '../kube/pod-target.js'

/** Stops `head` and similar readers from turning into an unexpected-failure trace. */
export function quietOnBrokenPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0)
    throw e
  })
}
