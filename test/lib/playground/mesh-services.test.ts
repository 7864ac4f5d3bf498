// The playground's sidecar lists MetaProtocol services by the same port-name rule as the translation
// (routing/names.ts parseMetaProtocolPortName: second token "metaprotocol", any case, any first token).
import {describe, expect, it} from 'vitest'
import {meshServices} from '../../../src/lib/playground/sidecar-admin.js'
import {parseMetaProtocolPortName} from '../../../src/lib/routing/names.js'

const svc = (name: string, portName: string) => ({kind: 'Service', metadata: {name, namespace: 'ns'}, spec: {clusterIP: '10.0.0.1', ports: [{name: portName, port: 9090}]}})

describe('meshServices', () => {
  it('agrees with parseMetaProtocolPortName on every port name', () => {
    const names = ['tcp-metaprotocol-thrift', 'TCP-MetaProtocol-thrift-x', 'udp-metaprotocol-dubbo', 'tcp-metaprotocol', 'tcp-thrift', 'metaprotocol-thrift', 'http-metaprotocol-Thrift']
    const listed = meshServices(names.map((n, i) => svc(`s${i}`, n)))
    const expected = names.flatMap((n, i) => {
      const p = parseMetaProtocolPortName(n)
      return p.kind === 'metaprotocol' ? [{host: `s${i}.ns.svc.cluster.local`, applicationProtocol: p.applicationProtocol}] : []
    })
    expect(listed.map((s) => ({host: s.host, applicationProtocol: s.applicationProtocol}))).toEqual(expected)
    expect(expected.map((e) => e.applicationProtocol)).toEqual(['thrift', 'thrift', 'dubbo', 'Thrift'])
  })
  it('lists ServiceEntry hosts with their address, or a stable VIP from 240.240.0.0/16', () => {
    const se = {kind: 'ServiceEntry', metadata: {name: 'se', namespace: 'ns'}, spec: {hosts: ['a.example'], ports: [{name: 'tcp-MetaProtocol-dubbo', number: 20880}]}}
    const [s] = meshServices([se])
    expect(s).toMatchObject({host: 'a.example', port: 20880, applicationProtocol: 'dubbo'})
    expect(s.clusterIp).toMatch(/^240\.240\.\d+\.\d+$/)
    expect(meshServices([se])[0].clusterIp).toBe(s.clusterIp)
  })
})
