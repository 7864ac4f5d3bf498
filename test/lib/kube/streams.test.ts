import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startEmulator, type Emulator} from '../../../src/lib/emulator/index.js'
import {execInPod, KubeClient, KubeError, portForwardGet} from '../../../src/lib/kube/index.js'

let emu: Emulator
let dir: string
let kube: KubeClient

beforeAll(async () => {
  emu = await startEmulator({podStartDelayMs: 10, bare: true})
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-streams-'))
  writeFileSync(join(dir, 'config'), emu.kubeconfigYaml({namespace: 'mesh'}))
  kube = KubeClient.create({kubeconfig: join(dir, 'config')})
  const {cluster} = emu.state
  cluster.create(cluster.type('', 'namespaces'), undefined, {metadata: {name: 'mesh', labels: {'istio-injection': 'enabled'}}})
  cluster.create(cluster.type('', 'pods'), 'mesh', {metadata: {name: 'client-1'}, spec: {containers: [{name: 'app', image: 'example/app'}]}})
  for (let i = 0; i < 200 && (cluster.find(cluster.type('', 'pods'), 'mesh', 'client-1')?.status as any)?.phase !== 'Running'; i++) await new Promise((r) => setTimeout(r, 10))
})
afterAll(async () => { kube.close(); await emu.close(); rmSync(dir, {recursive: true, force: true}) })

describe('exec and port-forward without client-node', () => {
  it('execInPod runs pilot-agent in istio-proxy and returns the config dump', async () => {
    const r = await execInPod(kube, 'mesh', 'client-1', 'istio-proxy', ['pilot-agent', 'request', 'GET', 'config_dump'])
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.stdout).configs.length).toBeGreaterThan(3)
  })

  it('execInPod reports non-zero exit codes and stderr', async () => {
    const r = await execInPod(kube, 'mesh', 'client-1', 'app', ['curl', 'http://127.0.0.1:15000/config_dump'])
    expect(r.exitCode).toBe(126)
    expect(r.stderr).toMatch(/"curl": executable file not found/)
  })

  it('portForwardGet reads the admin port like istioctl', async () => {
    const r = await portForwardGet(kube, 'mesh', 'client-1', 15000, '/config_dump')
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    expect(JSON.parse(r.body).configs.length).toBeGreaterThan(3)
  })

  it('portForwardGet surfaces a refused port', async () => {
    await expect(portForwardGet(kube, 'mesh', 'client-1', 9999, '/')).rejects.toThrow(/port-forward to mesh\/client-1:9999 failed: .*connection refused/)
  })

  it('a limited token gets a 403 naming pods/exec and the namespace', async () => {
    writeFileSync(join(dir, 'limited'), emu.kubeconfigYaml({token: emu.limitedToken}))
    const limited = KubeClient.create({kubeconfig: join(dir, 'limited')})
    const e = await execInPod(limited, 'mesh', 'client-1', 'istio-proxy', ['true']).catch((x) => x)
    expect(e).toBeInstanceOf(KubeError)
    expect(e.message).toMatch(/^forbidden: cannot create pods\/exec in mesh \(name "client-1"/)
    limited.close()
  })

  it('goes through an HTTP CONNECT proxy from the kubeconfig proxy-url, for REST and exec', async () => {
    const {createServer} = await import('node:http')
    const net = await import('node:net')
    const tunnels: string[] = []
    const proxy = createServer()
    proxy.on('connect', (req, client, head) => {
      tunnels.push(req.url!)
      const [host, port] = req.url!.split(':')
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    const port = (proxy.address() as {port: number}).port
    const yamlMod = await import('js-yaml')
    const doc: any = yamlMod.load(emu.kubeconfigYaml({namespace: 'mesh'}))
    doc.clusters[0].cluster['proxy-url'] = `http://127.0.0.1:${port}`
    writeFileSync(join(dir, 'proxied'), yamlMod.dump(doc))
    const proxied = KubeClient.create({kubeconfig: join(dir, 'proxied')})
    try {
      const r = await execInPod(proxied, 'mesh', 'client-1', 'app', ['echo', 'via-proxy'])
      expect(r.stdout).toBe('via-proxy\n')
      expect(tunnels).toHaveLength(1)
      const pods = await proxied.get('/api/v1/namespaces/mesh/pods', {verb: 'list', resource: 'pods', namespace: 'mesh'})
      expect(pods.items.map((p: any) => p.metadata.name)).toEqual(['client-1'])
      expect(tunnels).toHaveLength(2)
      expect(tunnels.every((t) => t === new URL(emu.url).host)).toBe(true)
    } finally {
      proxied.close()
      proxy.closeAllConnections()
      await new Promise((r) => proxy.close(r))
    }
  })

  it('watch replays from a resourceVersion and streams until aborted', async () => {
    const ctl = new AbortController()
    const seen: string[] = []
    const rv = (await kube.get('/api/v1/namespaces/mesh/configmaps', {verb: 'list', resource: 'configmaps', namespace: 'mesh'})).metadata.resourceVersion
    const cms = emu.state.cluster.type('', 'configmaps')
    emu.state.cluster.create(cms, 'mesh', {metadata: {name: 'a'}})
    emu.state.cluster.patch(cms, 'mesh', 'a', 'merge', {data: {x: '1'}})
    const done = kube.watch('/api/v1/namespaces/mesh/configmaps', {verb: 'watch', resource: 'configmaps', namespace: 'mesh'}, {resourceVersion: rv}, (type, o) => {
      seen.push(`${type} ${o.metadata.name}`)
      if (seen.length === 2) ctl.abort()
    }, ctl.signal)
    await done
    expect(seen).toEqual(['ADDED a', 'MODIFIED a'])
  })
})
