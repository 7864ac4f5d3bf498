// Reading an Envoy /config_dump from a sidecar (live pod or saved file).
export {fetchConfigDump, requestAdmin, SidecarFetchError, ADMIN_PORT, ENVOY_ADMIN, ISTIOD_DEBUG, type AdminPort, type AdminAnswer, type AdminRequestOptions, type FetchConfigDumpOptions, type FetchedConfigDump, type FetchMethod} from './fetch.js'
export {readConfigDumpFile} from './file.js'
export {configDumpPath} from './admin-path.js'
export {checkContainer, resolveSidecar} from './target.js'
export {execInContainer, type ExecResult, type ExecTarget} from './exec.js'
export {httpGetViaPortForward, httpViaPortForward, PortForwardRefused, type HttpAnswer} from './port-forward.js'
