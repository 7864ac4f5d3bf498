// The Kubernetes access layer. Importing this module is cheap: client-node loads only on demand.
export {KubeClient, type KubeClientOptions, type LogOptions} from './client.js'
export {KubeError, redact, type KubeErrorKind, type RequestTarget} from './errors.js'
export {kubeconfigFiles, mergeKubeconfigs, resolveKubeconfig, type KubeconfigOptions, type ResolvedKubeconfig} from './kubeconfig.js'
export {findPod, findPods, listPods, summarizePod, type PodQuery, type PodSummary} from './pods.js'
export {clearExecCredentialCache} from './exec-auth.js'
export {execInPod, portForwardGet, type ExecResult} from './streams.js'
export {applyObject, canI, deleteObject, getObject, listObjects, objectPath, resourceFor, type ApiResource, type ApplyOptions, type ApplyResult} from './objects.js'
