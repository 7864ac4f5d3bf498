// fetchConfigDump against the in-process Kubernetes emulator over real loopback sockets: port-forward, the exec
// fallbacks, and the errors a user has to act on.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {extractMetaProtocolRouteTables} from '../../../src/lib/dump/index.js'
import {KubeError} from '../../../src/lib/kube/errors.js'
import {fetchConfigDump, SidecarFetchError} from '../../../src/lib/sidecar/index.js'
import {startFaultProxy, type FaultProxy} from '../../support/fault-proxy.js'
import {startLiveCluster, type LiveCluster} from './live-cluster.js'

describe('fetchConfigDump on the emulator', () => {
  let live: LiveCluster
  let proxy: FaultProxy
  let proxyKubeconfig: string
  beforeAll(async () => {
    live = await startLiveCluster()
    proxy = await startFaultProxy(live.emu)
    proxyKubeconfig = proxy.writeKubeconfig(join(live.dir, 'proxy.kubeconfig'), 'meta-thrift')
  })
  afterAll(async () => {
    await proxy?.close()
    await live?.close()
  })

  it('reads the dump by port-forward first and says so', async () => {
    const notes: string[] = []
    const r = await fetchConfigDump({kubeconfig: live.kubeconfig, app: 'client', onNote: (l) => notes.push(l)})
    expect(r.method).toBe('port-forward')
    expect(r.pod).toBe(live.clientPod)
    expect(r.namespace).toBe('meta-thrift')
    expect(notes).toEqual([expect.stringMatching(/via port-forward to port 15000/)])
    expect(extractMetaProtocolRouteTables(r.dump).map((t) => t.name)).toContain('thrift-sample-server.meta-thrift.svc.cluster.local_9090')
  })

  it('accepts a full pod name and reads by pilot-agent and by curl when asked to', async () => {
    for (const method of ['pilot-agent', 'curl'] as const) {
      const r = await fetchConfigDump({kubeconfig: live.kubeconfig, app: live.clientPod, methods: [method]})
      expect(r.method).toBe(method)
      expect(r.dump.configs.length).toBeGreaterThan(3)
    }
  })

  it('falls back to pilot-agent when port-forward is refused, naming the refusal', async () => {
    proxy.rules.refusePortForward = true
    try {
      const notes: string[] = []
      const r = await fetchConfigDump({kubeconfig: proxyKubeconfig, app: 'client', onNote: (l) => notes.push(l)})
      expect(r.method).toBe('pilot-agent')
      expect(notes[0]).toMatch(/port-forward to port 15000 failed: forbidden: cannot create pods\/portforward in meta-thrift/)
      expect(notes[1]).toMatch(/via exec pilot-agent request GET/)
    } finally {
      proxy.rules.refusePortForward = false
    }
  })

  it('detects pilot-agent error text printed with a success status and moves on to curl', async () => {
    proxy.rules.refusePortForward = true
    proxy.rules.pilotAgentOutput = 'FieldMask paths: "bogus" could not be successfully applied to any configs.\n'
    try {
      const notes: string[] = []
      const r = await fetchConfigDump({kubeconfig: proxyKubeconfig, app: 'client', onNote: (l) => notes.push(l)})
      expect(r.method).toBe('curl')
      expect(notes[1]).toMatch(/pilot-agent request GET failed: the answer is not a config dump: The config dump is not JSON; the proxy answered: "FieldMask paths/)
    } finally {
      proxy.rules.refusePortForward = false
      proxy.rules.pilotAgentOutput = undefined
    }
  })

  it('reports every method when none works', async () => {
    proxy.rules.refusePortForward = true
    proxy.rules.pilotAgentOutput = 'no healthy upstream'
    try {
      const err = await fetchConfigDump({kubeconfig: proxyKubeconfig, app: 'client', methods: ['port-forward', 'pilot-agent']}).catch((e) => e)
      expect(err).toBeInstanceOf(SidecarFetchError)
      expect(err.message).toMatch(/port-forward: forbidden/)
      expect(err.message).toMatch(/pilot-agent: the answer is not a config dump.*no healthy upstream/)
    } finally {
      proxy.rules.refusePortForward = false
      proxy.rules.pilotAgentOutput = undefined
    }
  })

  it('reports an Envoy error answer as such, per method', async () => {
    const err = await fetchConfigDump({kubeconfig: live.kubeconfig, app: 'client', path: 'config_dumpp'}).catch((e) => e)
    expect(err).toBeInstanceOf(SidecarFetchError)
    expect(err.attempts.map((a: {method: string}) => a.method)).toEqual(['port-forward', 'pilot-agent', 'curl'])
    expect(err.message).toMatch(/port-forward: Envoy answered 404: invalid path: \/config_dumpp/)
    expect(err.message).toMatch(/curl: curl exited with code 1: invalid path: \/config_dumpp/)
  })

  it('says when the image has neither pilot-agent nor curl', async () => {
    const err = await fetchConfigDump({kubeconfig: live.kubeconfig, app: 'client', container: 'thrift-sample-client', methods: ['pilot-agent', 'curl']}).catch((e) => e)
    expect(err).toBeInstanceOf(SidecarFetchError)
    expect(err.message).toMatch(/pilot-agent: pilot-agent is not available in container thrift-sample-client \(.*executable file not found/)
    expect(err.message).toMatch(/curl: curl is not available in container thrift-sample-client/)
  })

  it('says which pods exist when none matches', async () => {
    const err = await fetchConfigDump({kubeconfig: live.kubeconfig, app: 'nosuchapp'}).catch((e) => e)
    expect(err).toBeInstanceOf(KubeError)
    expect(err.message).toMatch(/no pod in namespace meta-thrift matches "nosuchapp"/)
    expect(err.message).toContain(live.clientPod)
    expect(err.message).toMatch(/thrift-sample-server-v1-/)
  })

  it('lists the containers when the sidecar container is not there', async () => {
    const err = await fetchConfigDump({kubeconfig: live.kubeconfig, app: 'client', container: 'envoy'}).catch((e) => e)
    expect(err.message).toMatch(/container "envoy" not found in pod meta-thrift\/thrift-sample-client-\S+; its containers: thrift-sample-client, istio-proxy/)
  })

  it('names verb, resource and namespace on 403 and never prints the token', async () => {
    const file = join(live.dir, 'limited.kubeconfig')
    writeFileSync(file, live.emu.kubeconfigYaml({token: live.emu.limitedToken, namespace: 'meta-thrift'}))
    const err = await fetchConfigDump({kubeconfig: file, app: 'client'}).catch((e) => e)
    expect(err.kind).toBe('forbidden')
    expect(err.message).toMatch(/cannot list pods in meta-thrift/)
    expect(err.message).not.toContain(live.emu.limitedToken)
  })

  it('names the context and server when the API is unreachable, without trying exec', async () => {
    const file = join(live.dir, 'down.kubeconfig')
    writeFileSync(file, live.emu.kubeconfigYaml({namespace: 'meta-thrift'}).replace(live.emu.url, 'https://127.0.0.1:1'))
    const err = await fetchConfigDump({kubeconfig: file, app: 'client'}).catch((e) => e)
    expect(err.kind).toBe('unreachable')
    expect(err.message).toMatch(/context "aerakictl-playground" at https:\/\/127\.0\.0\.1:1: connection refused/)
    expect(err.message).not.toContain(live.emu.token)
  })
})
