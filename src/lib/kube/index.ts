// The Kubernetes access layer. Importing this module is cheap: client-node loads on the first request.
export {KubeClient, type KubeClientOptions} from './client.js'
export {fromClientNodeError, KubeError, redact, type KubeErrorKind, type RequestTarget} from './errors.js'
export {kubeconfigFiles, mergeKubeconfigs, resolveKubeconfig, type KubeconfigOptions, type ResolvedKubeconfig} from './kubeconfig.js'
export {findPod, findPods, listPods, summarizePod, type PodQuery, type PodSummary} from './pods.js'
