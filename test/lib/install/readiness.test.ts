// Why a Deployment is not ready, in the words a user acts on.
import {describe, expect, it} from 'vitest'
import {deploymentReadiness, podProblem, rolledOut} from '../../../src/lib/install/readiness.js'
import type {KubeObject} from '../../../src/lib/resources/types.js'

const dep = (status: any, generation = 1): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'ns', generation},
  spec: {replicas: 1, selector: {matchLabels: {app: 'web'}}}, status,
})
const pod = (name: string, status: any): KubeObject => ({apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'ns', labels: {app: 'web'}}, status})
const event = (podName: string, reason: string, message: string, type = 'Warning', at = '2026-01-01T00:00:00Z'): KubeObject =>
  ({apiVersion: 'v1', kind: 'Event', metadata: {name: `${podName}.${reason}`}, involvedObject: {kind: 'Pod', name: podName}, reason, message, type, lastTimestamp: at})

describe('rolledOut', () => {
  it('needs the observed generation, all replicas updated and available', () => {
    expect(rolledOut(dep({observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1})).ready).toBe(true)
    expect(rolledOut(dep({observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}, 2)).ready).toBe(false)
    expect(rolledOut(dep({observedGeneration: 1, replicas: 2, updatedReplicas: 1, availableReplicas: 1})).ready).toBe(false) // an old pod left
    expect(rolledOut(dep({observedGeneration: 1, replicas: 1, updatedReplicas: 1})).ready).toBe(false)
  })
})

describe('podProblem', () => {
  it('ImagePullBackOff names the image, the container and the pull error', () => {
    const p = pod('web-1', {phase: 'Pending', containerStatuses: [{name: 'app', image: 'example.com/web:9', ready: false, state: {waiting: {reason: 'ImagePullBackOff', message: 'Back-off pulling image'}}}]})
    const text = podProblem(p, [event('web-1', 'Failed', 'Failed to pull image "example.com/web:9": not found'), event('other', 'Failed', 'Failed to pull image "x"')])
    expect(text).toBe('pod web-1: ImagePullBackOff: image "example.com/web:9" of container app cannot be pulled (Failed to pull image "example.com/web:9": not found)')
  })

  it('Pending gives the scheduler\'s message', () => {
    const p = pod('web-2', {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.'}]})
    expect(podProblem(p, [])).toBe('pod web-2: Pending: 0/3 nodes are available: 3 Insufficient cpu.')
  })

  it('Pending without a condition gives the latest warning event about the pod', () => {
    const p = pod('web-3', {phase: 'Pending', containerStatuses: [{name: 'app', state: {waiting: {reason: 'ContainerCreating'}}}]})
    const events = [
      event('web-3', 'FailedMount', 'MountVolume.SetUp failed for volume "cfg": configmap "cfg" not found', 'Warning', '2026-01-01T00:00:05Z'),
      event('web-3', 'Scheduled', 'Successfully assigned', 'Normal', '2026-01-01T00:00:09Z'),
      event('web-3', 'FailedMount', 'older', 'Warning', '2026-01-01T00:00:01Z'),
    ]
    expect(podProblem(p, events)).toBe('pod web-3: Pending: MountVolume.SetUp failed for volume "cfg": configmap "cfg" not found')
    expect(podProblem(p, [])).toBe('pod web-3: Pending: ContainerCreating')
  })

  it('CrashLoopBackOff gives the restarts and the last exit', () => {
    const p = pod('web-4', {phase: 'Running', containerStatuses: [{name: 'app', restartCount: 5, state: {waiting: {reason: 'CrashLoopBackOff'}}, lastState: {terminated: {reason: 'Error', exitCode: 2}}}]})
    expect(podProblem(p, [])).toBe('pod web-4: CrashLoopBackOff: container app restarted 5 times (last exit: Error, code 2)')
  })

  it('Running but not ready names the container and the failing probe', () => {
    const p = pod('web-5', {phase: 'Running', containerStatuses: [{name: 'app', ready: true}, {name: 'istio-proxy', ready: false, state: {running: {}}}]})
    expect(podProblem(p, [event('web-5', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503')]))
      .toBe('pod web-5: Running but not ready (container istio-proxy): Readiness probe failed: HTTP probe failed with statuscode: 503')
  })

  it('a ready pod has no problem', () => {
    expect(podProblem(pod('web-6', {phase: 'Running', conditions: [{type: 'Ready', status: 'True'}]}), [])).toBeUndefined()
  })
})

describe('deploymentReadiness', () => {
  it('lists only the pods the Deployment selects', () => {
    const stuck = pod('web-7', {phase: 'Pending', conditions: [{type: 'PodScheduled', status: 'False', message: 'no nodes'}]})
    const foreign = {...pod('db-1', {phase: 'Pending'}), metadata: {name: 'db-1', labels: {app: 'db'}}}
    const r = deploymentReadiness('ns', 'web', dep({observedGeneration: 1, replicas: 1, updatedReplicas: 1}), [stuck, foreign], [])
    expect(r).toMatchObject({ready: false, desired: 1, available: 0, problems: ['pod web-7: Pending: no nodes']})
  })

  it('without pods, says why the ReplicaSet made none', () => {
    const d = dep({observedGeneration: 1, conditions: [{type: 'ReplicaFailure', status: 'True', message: 'pods "web-x" is forbidden: exceeded quota'}]})
    expect(deploymentReadiness('ns', 'web', d, [], []).problems).toEqual(['no pods: pods "web-x" is forbidden: exceeded quota'])
  })
})
