// The part of @kubernetes/client-node that reaches a cluster without its generated API classes and models: the
// kubeconfig and its auth, the generic request path (createConfiguration, ServerConfiguration, getJson's request),
// logs, watches, exec and port-forward. The models (ObjectSerializer and ~900 files) are most of the package's
// load time, and the commands read most often (sidecar-config, route analyze, app-log) need none of them.
//
// Import this module only with import(): the bundle build (scripts/bundle.mjs) maps it to a bundle of its own,
// made of those files alone; an unbundled build simply takes these names from the whole package. Values from the
// two bundles mix safely: client-node checks nothing across them with instanceof (a KubeConfig from here makes
// the generated API clients of the whole package, which call it only through its methods).
export {ApiException, createConfiguration, Exec, HttpMethod, KubeConfig, Log, PortForward, ServerConfiguration, Watch} from '@kubernetes/client-node'
