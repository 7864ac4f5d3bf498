// @aerakictl/kube-emulator: an in-process Kubernetes API server (store, watch, server-side apply with managedFields,
// patches, discovery, OpenAPI, tables, pod logs, exec, port-forward over WebSocket and SPDY, x509 client certificates).
// What containers do is plugged in through EmulatorPlugin / ContainerBehaviour. Test-only fault injection lives
// in the separate entry point `@aerakictl/kube-emulator/testing`.
import {startEmulatorWith, type Emulator, type EmulatorOptions} from './core.js'

export type {Emulator, EmulatorOptions, KubeconfigOptions} from './core.js'
export {DEFAULT_CONTEXT} from './core.js'
export type {ContainerBehaviour, ContainerSpec, EmulatorPlugin, ExecCommand, ExecIo, HttpHandler, HttpRequest, HttpResponse} from './behaviour.js'
export {Cluster, nowIso} from './cluster.js'
export type {ResourceType} from './resources.js'
export type {StoreEvent} from './store.js'
export {LogBuffer, Logs, type LogLine} from './logs.js'
export {matchesMap} from './selectors.js'
export {generateTlsMaterial, issueClientCert} from './x509.js'
export type {KubeObject, ObjectMeta} from './types.js'

export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulatorWith(options)
}
