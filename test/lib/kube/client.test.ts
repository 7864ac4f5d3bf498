import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as yaml from 'js-yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startEmulator, type Emulator} from '../../../src/lib/emulator/index.js'
import {clearExecCredentialCache, findPod, findPods, KubeClient, KubeError} from '../../../src/lib/kube/index.js'

let emu: Emulator
let dir: string
let kubeconfig: string

function writeKubeconfig(name: string, mutate: (doc: any) => void = () => {}): string {
  const doc: any = yaml.load(emu.kubeconfigYaml())
  mutate(doc)
  const p = join(dir, name)
  writeFileSync(p, yaml.dump(doc))
  return p
}

async function error(p: Promise<unknown>): Promise<KubeError> {
  try { await p } catch (e) { return e as KubeError }
  throw new Error('expected a failure')
}

beforeAll(async () => {
  emu = await startEmulator({podStartDelayMs: 10, bare: true})
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-kube-'))
  kubeconfig = writeKubeconfig('config')
  const {cluster} = emu.state
  cluster.create(cluster.type('', 'namespaces'), undefined, {metadata: {name: 'meta-thrift'}})
  for (const name of ['thrift-sample-client-6f9c7d8b5-x2k4p', 'thrift-sample-server-v1-5c8476684-842l6', 'thrift-sample-server-v2-7d4b8c9f6-abcde']) {
    cluster.create(cluster.type('', 'pods'), 'meta-thrift', {metadata: {name, labels: {app: name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '').replace(/-v\d$/, ''), ...(name.includes('-v1-') ? {version: 'v1'} : {})}}, spec: {containers: [{name: 'app', image: 'example/app'}]}})
  }
})
afterAll(async () => { await emu.close(); rmSync(dir, {recursive: true, force: true}) })

describe('KubeClient against the emulator', () => {
  it('lists pods with the namespace from the context', async () => {
    const kube = KubeClient.create({kubeconfig, namespace: 'meta-thrift'})
    const list = await kube.get('/api/v1/namespaces/meta-thrift/pods', {verb: 'list', resource: 'pods', namespace: 'meta-thrift'})
    expect(list.items).toHaveLength(3)
    expect(kube.contextName).toBe('aerakictl-playground')
    kube.close()
  })

  it('finds pods by app-name substring like aerakictl.sh, and by label selector', async () => {
    const kube = KubeClient.create({kubeconfig, namespace: 'meta-thrift'})
    expect((await findPod(kube, {app: 'client'})).name).toBe('thrift-sample-client-6f9c7d8b5-x2k4p')
    expect((await findPods(kube, {app: 'thrift-sample-server'})).map((p) => p.name)).toEqual(['thrift-sample-server-v1-5c8476684-842l6', 'thrift-sample-server-v2-7d4b8c9f6-abcde'])
    expect((await findPods(kube, {selector: 'version=v1'})).map((p) => p.name)).toEqual(['thrift-sample-server-v1-5c8476684-842l6'])
    const e = await error(findPod(kube, {app: 'consumer'}))
    expect(e.message).toBe('no pod in namespace meta-thrift matches "consumer"; pods there: thrift-sample-client-6f9c7d8b5-x2k4p, thrift-sample-server-v1-5c8476684-842l6, thrift-sample-server-v2-7d4b8c9f6-abcde')
    kube.close()
  })

  it('names context and server URL when the API is unreachable', async () => {
    const dead = writeKubeconfig('dead', (d) => { d.clusters[0].cluster.server = 'https://127.0.0.1:1' })
    const kube = KubeClient.create({kubeconfig: dead})
    const e = await error(kube.get('/api/v1/namespaces/default/pods', {verb: 'list', resource: 'pods', namespace: 'default'}))
    expect(e.kind).toBe('unreachable')
    expect(e.message).toMatch(/^cannot reach the Kubernetes API of context "aerakictl-playground" at https:\/\/127\.0\.0\.1:1: connection refused \(while trying to list pods in default\)/)
  })

  it('times out on a server that accepts connections but never answers, naming context and server', async () => {
    const net = await import('node:net')
    const held: import('node:net').Socket[] = []
    const silent = net.createServer((s) => held.push(s))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as {port: number}).port
    const cfg = writeKubeconfig('silent', (d) => { d.clusters[0].cluster.server = `https://127.0.0.1:${port}` })
    const kube = KubeClient.create({kubeconfig: cfg, timeoutMs: 200})
    try {
      const e = await error(kube.get('/api/v1/namespaces/default/pods', {verb: 'list', resource: 'pods', namespace: 'default'}))
      expect(e.kind).toBe('timeout')
      expect(e.message).toBe(`no answer within 0.2s from the Kubernetes API of context "aerakictl-playground" at https://127.0.0.1:${port} (while trying to list pods in default)`)
    } finally {
      kube.close()
      for (const s of held) s.destroy()
      await new Promise((r) => silent.close(r))
    }
  })

  it('authenticates with a client certificate from the kubeconfig (and rejects one from another CA)', async () => {
    const certCfg = join(dir, 'cert')
    writeFileSync(certCfg, emu.kubeconfigYaml({clientCertUser: 'aerakictl-playground-limited'}))
    const kube = KubeClient.create({kubeconfig: certCfg})
    expect((await kube.get('/api/v1/namespaces/default/pods', {verb: 'list', resource: 'pods', namespace: 'default'})).kind).toBe('PodList')
    const e = await error(kube.get('/api/v1/namespaces/meta-thrift/pods', {verb: 'list', resource: 'pods', namespace: 'meta-thrift'}))
    expect(e.kind).toBe('forbidden')
    kube.close()
    const {generateTlsMaterial, issueClientCert} = await import('../../../src/lib/emulator/x509.js')
    const foreign = issueClientCert(generateTlsMaterial().ca, 'aerakictl-playground-admin')
    const foreignCfg = writeKubeconfig('foreign-cert', (d) => { d.users[0].user = {'client-certificate-data': Buffer.from(foreign.certPem).toString('base64'), 'client-key-data': Buffer.from(foreign.keyPem).toString('base64')} })
    const stranger = KubeClient.create({kubeconfig: foreignCfg})
    const u = await error(stranger.get('/api/v1/namespaces', {verb: 'list', resource: 'namespaces'}))
    expect(u.kind).toBe('unauthorized')
    expect(u.message).not.toContain('PRIVATE KEY')
    stranger.close()
  })

  it('401: explains the credentials were rejected, never printing the token', async () => {
    const bad = writeKubeconfig('bad', (d) => { d.users[0].user.token = 'super-secret-token-value' })
    const kube = KubeClient.create({kubeconfig: bad})
    const e = await error(kube.get('/api/v1/namespaces/default/pods', {verb: 'list', resource: 'pods', namespace: 'default'}))
    expect(e.kind).toBe('unauthorized')
    expect(e.message).toContain(`context "aerakictl-playground" at ${emu.url} rejected the credentials`)
    expect(e.message).not.toContain('super-secret-token-value')
  })

  it('403: names verb, resource and namespace', async () => {
    const limited = writeKubeconfig('limited', (d) => { d.users[0].user.token = emu.limitedToken })
    const kube = KubeClient.create({kubeconfig: limited})
    const e = await error(kube.streamLogs('meta-thrift', 'thrift-sample-client-6f9c7d8b5-x2k4p', {}, () => {}))
    expect(e.kind).toBe('forbidden')
    expect(e.message).toMatch(/^forbidden: cannot get pods\/log in meta-thrift \(name "thrift-sample-client-6f9c7d8b5-x2k4p"/)
    expect(e.message).not.toContain(emu.limitedToken)
  })

  it('404: names what is missing', async () => {
    const kube = KubeClient.create({kubeconfig})
    const e = await error(kube.get('/api/v1/namespaces/meta-thrift/pods/nope', {verb: 'get', resource: 'pods', namespace: 'meta-thrift', name: 'nope'}))
    expect(e.message).toBe('pods "nope" not found in namespace meta-thrift; pods in meta-thrift: thrift-sample-client-6f9c7d8b5-x2k4p, thrift-sample-server-v1-5c8476684-842l6, thrift-sample-server-v2-7d4b8c9f6-abcde')
    const crd = await error(kube.get('/apis/metaprotocol.aeraki.io/v1alpha1/namespaces/meta-thrift/metarouters', {verb: 'list', resource: 'metarouters.metaprotocol.aeraki.io', namespace: 'meta-thrift'}))
    expect(crd.message).toMatch(/does not serve metarouters\.metaprotocol\.aeraki\.io \(is the CRD installed\?\)/)
  })

  it('streams logs and reports a stream cut mid-line', async () => {
    const kube = KubeClient.create({kubeconfig})
    const pod = 'thrift-sample-client-6f9c7d8b5-x2k4p'
    const {logs, cluster} = emu.state
    for (let i = 0; i < 200 && (cluster.find(cluster.type('', 'pods'), 'meta-thrift', pod)?.status as any)?.phase !== 'Running'; i++) await new Promise((r) => setTimeout(r, 10))
    for (const l of ['one', 'two', 'three']) logs.buffer('meta-thrift', pod, 'app').push(l)
    let text = ''
    await kube.streamLogs('meta-thrift', pod, {tailLines: 2}, (t) => (text += t))
    expect(text).toBe('two\nthree\n')
    emu.faults.cutNextLogStream(pod, 1)
    let cutText = ''
    const e = await error(kube.streamLogs('meta-thrift', pod, {follow: true, tailLines: 2}, (t) => (cutText += t)))
    expect(e.kind).toBe('stream-cut')
    expect(cutText.startsWith('two\nth')).toBe(true)
    expect(cutText.endsWith('\n')).toBe(false)
  })

  it('builds a working client-node config from the same resolved context', async () => {
    const kube = KubeClient.create({kubeconfig, namespace: 'meta-thrift'})
    const k8s = await import('@kubernetes/client-node')
    const kc = await kube.clientNode()
    const pods = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({namespace: kube.namespace})
    expect(pods.items).toHaveLength(3)
  })
})

describe('exec credential plugins', () => {
  const plugin = (name: string, body: string) => {
    const p = join(dir, name)
    writeFileSync(p, `#!/usr/bin/env node\n${body}\n`)
    chmodSync(p, 0o755)
    return p
  }

  it('runs the plugin once, caches the token until it expires, and passes env and KUBERNETES_EXEC_INFO', async () => {
    clearExecCredentialCache()
    const counter = join(dir, 'count')
    const p = plugin('cred.js', `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(counter)}, 'x');
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
if (info.kind !== 'ExecCredential' || process.env.PLUGIN_FLAVOUR !== 'tasty') process.exit(3);
console.log(JSON.stringify({apiVersion: info.apiVersion, kind: 'ExecCredential', status: {token: ${JSON.stringify(emu.token)}, expirationTimestamp: new Date(Date.now() + 3600e3).toISOString()}}))`)
    const cfg = writeKubeconfig('exec', (d) => { d.users[0].user = {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: p, env: [{name: 'PLUGIN_FLAVOUR', value: 'tasty'}], interactiveMode: 'Never'}} })
    const kube = KubeClient.create({kubeconfig: cfg})
    await kube.get('/api/v1/namespaces', {verb: 'list', resource: 'namespaces'})
    await kube.get('/api/v1/namespaces/meta-thrift/pods', {verb: 'list', resource: 'pods', namespace: 'meta-thrift'})
    expect(readFileSync(counter, 'utf8')).toBe('x')
  })

  it('reports a failing plugin with its stderr, and a missing one with the install hint', async () => {
    clearExecCredentialCache()
    const p = plugin('fail.js', `console.error('login expired: run sso-login'); process.exit(2)`)
    const cfg = writeKubeconfig('exec-fail', (d) => { d.users[0].user = {exec: {command: p}} })
    const e = await error(KubeClient.create({kubeconfig: cfg}).get('/api/v1/namespaces', {verb: 'list', resource: 'namespaces'}))
    expect(e.kind).toBe('auth-plugin')
    expect(e.message).toMatch(/exec credential plugin ".*fail\.js" of user "aerakictl-playground" failed \(exit 2\): login expired: run sso-login/)
    const missing = writeKubeconfig('exec-missing', (d) => { d.users[0].user = {exec: {command: 'no-such-plugin-binary', installHint: 'install it with: brew install no-such-plugin'}} })
    const m = await error(KubeClient.create({kubeconfig: missing}).get('/api/v1/namespaces', {verb: 'list', resource: 'namespaces'}))
    expect(m.message).toBe('the exec credential plugin "no-such-plugin-binary" of user "aerakictl-playground" was not found on PATH\ninstall it with: brew install no-such-plugin')
    expect(existsSync(p)).toBe(true)
  })
})
