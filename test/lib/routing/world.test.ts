// The World's lookups over pods: runningPodsSelectedBy (Service selector plus subset labels), used by analyze's
// SUBSET_SELECTS_NO_PODS and by dry-run's count of server pods, checked against a plain scan on generated pods; and
// podSelectorOf, the one reading of the labels that pick a service's pods.
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {asLoaded, buildWorld, podSelectorOf, runningPodsSelectedBy} from '../../../src/lib/routing/world.js'

const pod = (name: string, namespace: string, labels: Record<string, string>, phase = 'Running', terminating = false) =>
  asLoaded({apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace, labels, ...(terminating ? {deletionTimestamp: '2026-01-01T00:00:00Z'} : {})}, status: {phase}})

describe('runningPodsSelectedBy', () => {
  it('selects running, not terminating pods of the namespace that carry every wanted label, in input order', () => {
    const world = buildWorld([
      pod('a-v1', 'ns1', {app: 'a', version: 'v1'}),
      pod('a-v2', 'ns1', {app: 'a', version: 'v2'}),
      pod('a-v1-pending', 'ns1', {app: 'a', version: 'v1'}, 'Pending'),
      pod('a-v1-terminating', 'ns1', {app: 'a', version: 'v1'}, 'Running', true),
      pod('a-v1-other-ns', 'ns2', {app: 'a', version: 'v1'}),
      pod('a-v1-b', 'ns1', {version: 'v1', app: 'a', extra: 'x'}),
    ])
    const names = (want: Record<string, string>, ns = 'ns1') => runningPodsSelectedBy(world, ns, want).map(p => p.obj.metadata?.name)
    expect(names({app: 'a', version: 'v1'})).toEqual(['a-v1', 'a-v1-b'])
    expect(names({version: 'v1', app: 'a'})).toEqual(['a-v1', 'a-v1-b'])
    expect(names({app: 'a'})).toEqual(['a-v1', 'a-v2', 'a-v1-b'])
    expect(names({app: 'a', version: 'v3'})).toEqual([])
    expect(names({}, 'ns2')).toEqual(['a-v1-other-ns'])
    expect(names({app: 'b'})).toEqual([])
  })

  it('agrees with a scan of every pod on generated pods and selectors', () => {
    const label = fc.constantFrom('app', 'version', 'tier')
    const value = fc.constantFrom('a', 'b', 'v1', 'v2')
    const labels = fc.dictionary(label, value, {maxKeys: 3})
    const pods = fc.array(fc.record({ns: fc.constantFrom('n1', 'n2'), labels, phase: fc.constantFrom('Running', 'Pending'), terminating: fc.boolean()}), {maxLength: 30})
    fc.assert(fc.property(pods, labels, fc.constantFrom('n1', 'n2'), (ps, want, ns) => {
      const world = buildWorld(ps.map((p, i) => pod(`p${i}`, p.ns, p.labels, p.phase, p.terminating)))
      const scan = ps.flatMap((p, i) => p.ns === ns && p.phase === 'Running' && !p.terminating && Object.entries(want).every(([k, v]) => p.labels[k] === v) ? [`p${i}`] : [])
      expect(runningPodsSelectedBy(world, ns, want).map(p => p.obj.metadata?.name)).toEqual(scan)
    }), {numRuns: 300})
  })
})

describe('podSelectorOf', () => {
  const service = (name: string, spec: Record<string, unknown>) => asLoaded({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: 'ns1'}, spec: {ports: [{name: 'tcp-thrift', port: 9090}], ...spec}})
  const world = buildWorld([
    service('picked', {selector: {app: 'a'}}),
    service('empty', {selector: {}}),
    service('absent', {}),
    asLoaded({apiVersion: 'networking.istio.io/v1beta1', kind: 'ServiceEntry', metadata: {name: 'se', namespace: 'ns1'}, spec: {hosts: ['se.example'], ports: [{name: 'tcp-thrift', number: 9090, protocol: 'TCP'}], workloadSelector: {labels: {app: 'b'}}}}),
  ])
  const of = (host: string) => podSelectorOf(world.services.find(s => s.host === host)!)

  it('reads a Service\'s selector, and takes an empty or absent one as none, as Kubernetes does (no endpoints are made)', () => {
    expect(of('picked.ns1.svc.cluster.local')).toEqual({app: 'a'})
    expect(of('empty.ns1.svc.cluster.local')).toBeUndefined()
    expect(of('absent.ns1.svc.cluster.local')).toBeUndefined()
  })

  it('reads a ServiceEntry\'s workloadSelector labels', () => {
    expect(of('se.example')).toEqual({app: 'b'})
  })
})
