// The Aeraki playground as a plugin of @aerakictl/kube-emulator: Istio + Aeraki seeded (unless bare), sidecar
// injection, the istio-proxy admin interface, and the demo clients whose calls the route simulator answers.
import {startEmulator, type ContainerBehaviour, type Emulator, type EmulatorOptions, type EmulatorPlugin} from '@aerakictl/kube-emulator'
import {demoClientBehaviour, newRateLimits} from './demo.js'
import {sidecarInjector} from './injection.js'
import {seedMesh} from './seed.js'
import {sidecarBehaviour} from './sidecar-admin.js'
import {aerakiBehaviour, istiodBehaviour} from './control-plane.js'

export interface AerakiPlaygroundOptions {
  /** Scales the demo clients' request rate and the pod start-up time (default 1 = one request per second, 1 s). */
  speed?: number
  /** Start without Istio/Aeraki CRDs and without istio-system. */
  bare?: boolean
  /** Demo client request interval before scaling by speed (default 1000 ms). */
  requestIntervalMs?: number
}

export function aerakiPlayground(opts: AerakiPlaygroundOptions = {}): EmulatorPlugin {
  const speed = opts.speed && opts.speed > 0 ? opts.speed : 1
  const limits = newRateLimits()
  return {
    install({cluster}) {
      cluster.admission.push(sidecarInjector(cluster))
      if (!opts.bare) seedMesh(cluster)
    },
    container(pod, container, cluster): ContainerBehaviour | undefined {
      if (container.name === 'istio-proxy') return sidecarBehaviour(cluster, pod)
      if (container.name === 'discovery' && pod.metadata?.labels?.app === 'istiod') return istiodBehaviour(cluster)
      if (container.name === 'aeraki' && pod.metadata?.labels?.app === 'aeraki') return aerakiBehaviour(cluster)
      return demoClientBehaviour(cluster, pod, container, limits, (opts.requestIntervalMs ?? 1000) / speed)
    },
  }
}

export type AerakiEmulatorOptions = EmulatorOptions & AerakiPlaygroundOptions

/**
 * An emulator running the Aeraki playground. `start` is the emulator's entry point: the public one by default,
 * `startTestEmulator` from `@aerakictl/kube-emulator/testing` in tests (it accepts and returns more).
 */
export function startAerakiEmulator(opts?: AerakiEmulatorOptions): Promise<Emulator>
export function startAerakiEmulator<O extends EmulatorOptions, E extends Emulator>(opts: O & AerakiPlaygroundOptions, start: (o: O) => Promise<E>): Promise<E>
export function startAerakiEmulator(opts: AerakiEmulatorOptions = {}, start: (o: EmulatorOptions) => Promise<Emulator> = startEmulator): Promise<Emulator> {
  const {speed, bare, requestIntervalMs, ...rest} = opts
  const s = speed && speed > 0 ? speed : 1
  return start({...rest, podStartDelayMs: rest.podStartDelayMs ?? Math.round(1000 / s), plugins: [aerakiPlayground({speed, bare, requestIntervalMs}), ...(rest.plugins ?? [])]})
}
