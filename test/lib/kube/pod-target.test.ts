// One pod resolver for every command: [KIND/]NAME, exact name then part of a name, running pods first, one wording.
import {describe, expect, it} from 'vitest'
import {describeTarget, matchPodNames, namespaceOf, noPodMessage, parsePodTarget, pickPod, podNameMatcher, selectorOf} from '../../../src/lib/kube/pod-target.js'
import {podMatcher} from '../../../src/lib/logs/targets.js'

const NAMES = ['client', 'client-a-1', 'client-a-2', 'server-1']

describe('parsePodTarget', () => {
  it('reads pod/NAME (po, pods), KIND/NAME of workloads and services, and a plain word', () => {
    expect(parsePodTarget('pod/client-a-1')).toEqual({by: 'pod', name: 'client-a-1'})
    expect(parsePodTarget('po/x')).toEqual({by: 'pod', name: 'x'})
    expect(parsePodTarget('pods/x')).toEqual({by: 'pod', name: 'x'})
    expect(parsePodTarget('deploy/web')).toMatchObject({by: 'resource', name: 'web', resource: {kind: 'Deployment', resource: 'deployments.apps'}})
    expect(parsePodTarget('svc/web')).toMatchObject({by: 'resource', resource: {kind: 'Service', apiVersion: 'v1'}})
    expect(parsePodTarget('Deployment/web')).toMatchObject({by: 'resource', resource: {kind: 'Deployment'}})
    expect(parsePodTarget('client')).toEqual({by: 'name', text: 'client'})
  })
  it('names the argument and the kinds it knows when KIND is not one of them', () => {
    expect(() => parsePodTarget('cm/x')).toThrow('APP: unknown kind "cm" in "cm/x"; use pod/, deploy/, svc/, sts/, ds/, rs/ or job/, or a part of a pod name')
    expect(() => parsePodTarget('pod/', 'POD')).toThrow(/^POD: "pod\/" is not KIND\/NAME/)
    expect(() => parsePodTarget('a/b/c')).toThrow(/is not KIND\/NAME/)
  })
})

describe('matching pod names', () => {
  it('takes the exact name when a pod has it, else every name containing the word', () => {
    expect(matchPodNames(parsePodTarget('client'), NAMES)).toEqual(['client'])
    expect(matchPodNames(parsePodTarget('client-a'), NAMES)).toEqual(['client-a-1', 'client-a-2'])
    expect(matchPodNames(parsePodTarget('db'), NAMES)).toEqual([])
  })
  it('pod/NAME is that pod only; a workload target keeps what its selector listed', () => {
    expect(matchPodNames(parsePodTarget('pod/client'), NAMES)).toEqual(['client'])
    expect(matchPodNames(parsePodTarget('pod/client-a'), NAMES)).toEqual([])
    expect(matchPodNames(parsePodTarget('deploy/web'), NAMES)).toEqual(NAMES)
  })
  it('treats the word as text, never as a pattern', () => {
    expect(matchPodNames(parsePodTarget('client.a'), NAMES)).toEqual([])
    expect(matchPodNames(parsePodTarget('(a+)+$'), ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'])).toEqual([])
    expect(podNameMatcher(parsePodTarget('a.1'))('client-a-1')).toBe(false)
  })
  it('picks a running pod first, then by name', () => {
    const pods = [{name: 'client-a-1', phase: 'Pending'}, {name: 'client-a-2', phase: 'Running'}, {name: 'client-a-0', phase: 'Failed'}]
    expect(pickPod(pods)?.name).toBe('client-a-2')
    expect(pickPod(pods.filter((p) => p.phase !== 'Running'))?.name).toBe('client-a-0')
    expect(pickPod([])).toBeUndefined()
  })
  it('app-log follows the same rule: an exact name keeps later pods out, a part of a name lets them in', () => {
    const exact = podMatcher('client', undefined)
    expect(exact.pick(NAMES)).toEqual(['client'])
    expect(exact.matches('client-b-1')).toBe(false)
    const part = podMatcher('client-a', undefined)
    expect(part.pick(NAMES)).toEqual(['client-a-1', 'client-a-2'])
    expect(part.matches('client-a-3')).toBe(true)
    expect(part.matches('server-2')).toBe(false)
  })
})

describe('messages and the NAMESPACE argument', () => {
  it('says what was asked and what the namespace holds, in one wording', () => {
    expect(noPodMessage('ns', describeTarget(parsePodTarget('db')), NAMES)).toBe('no pod in namespace ns matches "db" (full name or part of a name); pods there: client, client-a-1, client-a-2, server-1')
    expect(noPodMessage('ns', describeTarget(parsePodTarget('pod/db'), 'app=x'), [])).toBe('no pod in namespace ns matches pod/db and selector app=x; there are no pods in it')
    expect(noPodMessage('ns', '"x"', Array.from({length: 12}, (_, i) => `p${String(i).padStart(2, '0')}`), true)).toMatch(/^no running pod in namespace ns matches "x"; pods there: p00, .*p09, … \(12 in all\)$/)
  })
  it('accepts NAMESPACE as an argument or -n, and refuses two different ones', () => {
    expect(namespaceOf('a', undefined)).toBe('a')
    expect(namespaceOf(undefined, 'b')).toBe('b')
    expect(namespaceOf('a', 'a')).toBe('a')
    expect(namespaceOf(undefined, undefined)).toBeUndefined()
    expect(() => namespaceOf('a', 'b')).toThrow('NAMESPACE: the NAMESPACE argument "a" and -n "b" disagree; give one')
  })
  it('turns a workload selector into kubectl syntax', () => {
    expect(selectorOf({spec: {selector: {matchLabels: {app: 'web'}, matchExpressions: [{key: 'v', operator: 'In', values: ['1', '2']}, {key: 'x', operator: 'DoesNotExist'}]}}}, 'Deployment')).toBe('app=web,v in (1,2),!x')
    expect(selectorOf({spec: {selector: {app: 'web', tier: 'fe'}}}, 'Service')).toBe('app=web,tier=fe')
    expect(selectorOf({spec: {}}, 'Service')).toBe('')
  })
})
