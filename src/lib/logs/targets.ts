// Which pods and containers to tail: APP as every command takes it (kube/pod-target.ts: pod/NAME, deploy/NAME, a
// full pod name, else a part of pod names as aerakictl.sh: `client` finds thrift-sample-client-…); the application
// container by default (never istio-proxy), istio-proxy with --sidecar, or the names given with -c.
import type {V1Pod} from '@kubernetes/client-node'
import {describeTarget, matchPodNames, parsePodTarget, podNameMatcher, type PodTarget} from '../kube/pod-target.js'

export const SIDECAR = 'istio-proxy'

export type ContainerChoice = {kind: 'app'} | {kind: 'sidecar'} | {kind: 'named'; names: string[]}

export interface PodMatcher {
  /** What was asked for, for messages. */
  describe: string
  /** The parsed APP (undefined with only -l). */
  target?: PodTarget
  /** The pods picked among those listed now; an exact name narrows later matches to that name. */
  pick(names: string[]): string[]
  /** Whether a pod that appears later belongs to the target. */
  matches(podName: string): boolean
}

export function podMatcher(app: string | undefined, selector: string | undefined): PodMatcher {
  if (!app) return {describe: selector ? `selector ${selector}` : 'every pod', pick: (names) => names, matches: () => true}
  const target = parsePodTarget(app)
  let matches = podNameMatcher(target)
  return {
    describe: describeTarget(target, selector), target,
    pick(names) {
      const picked = matchPodNames(target, names)
      if (target.by === 'name' && names.includes(target.text)) matches = (n) => n === target.text
      return picked
    },
    matches: (n) => matches(n),
  }
}

export interface Target {
  namespace: string
  pod: string
  container: string
  /** containerd://… of the running container; a new one means a restart, tailed from its start. */
  containerId?: string
}

export function containerNames(pod: V1Pod): string[] {
  return (pod.spec?.containers ?? []).map((c) => c.name)
}

/** The application container: kubectl's default-container annotation unless it is the sidecar, else the first non-sidecar. */
export function appContainer(pod: V1Pod): string | undefined {
  const names = containerNames(pod)
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container']
  if (annotated && annotated !== SIDECAR && names.includes(annotated)) return annotated
  return names.find((n) => n !== SIDECAR)
}

/** The containers of a pod to tail; [] when the pod has none of them. */
export function chooseContainers(pod: V1Pod, choice: ContainerChoice): string[] {
  const names = containerNames(pod)
  switch (choice.kind) {
    case 'app': {
      const app = appContainer(pod)
      // A gateway (or any pod whose only container is the proxy): its proxy is its application.
      if (!app && names.length === 1 && names[0] === SIDECAR) return [SIDECAR]
      return app ? [app] : []
    }
    case 'sidecar': return names.includes(SIDECAR) ? [SIDECAR] : []
    case 'named': return choice.names.filter((n) => names.includes(n))
  }
}

/** Says what the pods do have, for a container name that none of them has. */
export function missingContainerMessage(pods: V1Pod[], choice: ContainerChoice, namespace: string): string {
  const wanted = choice.kind === 'named' ? choice.names.map((n) => `"${n}"`).join(', ') : choice.kind === 'sidecar' ? `"${SIDECAR}" (--sidecar)` : 'an application container'
  const shown = pods.slice(0, 5).map((p) => `${p.metadata?.name} has ${containerNames(p).join(', ') || 'no containers'}`)
  const more = pods.length > 5 ? `; … (${pods.length} pods)` : ''
  return `no container ${wanted} in the matching pods in namespace ${namespace}: ${shown.join('; ')}${more}. Pick one with -c`
}

/** Running state of a container: its ID when running, undefined while waiting or after it terminated. */
export function runningContainerId(pod: V1Pod, container: string): string | undefined {
  const st = (pod.status?.containerStatuses ?? []).find((c) => c.name === container)
  return st?.state?.running ? st.containerID ?? `running-since-${String(st.state.running.startedAt ?? '')}` : undefined
}
