// The kube layer against the emulator: kubectl-style kubeconfig resolution, requests made by client-node, and
// errors a user can act on (unreachable, timeout, 401, 403, 404, auth plugins), never printing a secret.
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import type {Agent} from 'node:https'
import {tmpdir} from 'node:os'
import {PassThrough} from 'node:stream'
import type {TLSSocket} from 'node:tls'
import {join} from 'node:path'
import * as yaml from 'js-yaml'
import * as k8s from '@kubernetes/client-node'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startEmulator, type Emulator} from '../../support/emulator.js'
import {findPod, findPods, KubeClient, KubeError, listPods} from '../../../src/lib/kube/index.js'

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
  try {
    await p
  } catch (e) {
    return e as KubeError
  }
  throw new Error('expected a failure')
}

const listNamespaces = (kube: KubeClient) => kube.run({verb: 'list', resource: 'namespaces'}, kc => kc.makeApiClient(k8s.CoreV1Api).listNamespace())

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
afterAll(async () => {
  await emu.close()
  rmSync(dir, {recursive: true, force: true})
})

describe('KubeClient (client-node underneath) against the emulator', () => {
  it('lists pods in the namespace of the context', async () => {
    const kube = KubeClient.create({kubeconfig, namespace: 'meta-thrift'})
    expect(kube.contextName).toBe('aerakictl-playground')
    expect((await listPods(kube)).map(p => p.name)).toHaveLength(3)
  })

  it('shares one TLS context, and followed streams resume the TLS session of the REST connection', async () => {
    const kube = KubeClient.create({kubeconfig, namespace: 'meta-thrift'})
    try {
      await listPods(kube)
      const kc = await kube.clientNode()
      const pod = 'thrift-sample-client-6f9c7d8b5-x2k4p'
      const streams = await Promise.all([0, 1, 2].map(() => new k8s.Log(kc).log('meta-thrift', pod, 'app', new PassThrough(), {follow: true})))
      const [{rest, stream}] = [...(kube as unknown as {agents: Map<string, {rest: Agent; stream: Agent}>}).agents.values()]
      const sockets = Object.values(stream.sockets).flat() as TLSSocket[]
      expect(sockets).toHaveLength(3)
      for (const s of sockets) expect(s.isSessionReused()).toBe(true)
      expect((rest as unknown as {options: {secureContext?: unknown}}).options.secureContext).toBeDefined()
      expect((stream as unknown as {options: {secureContext?: unknown}}).options.secureContext).toBe((rest as unknown as {options: {secureContext?: unknown}}).options.secureContext)
      for (const c of streams) c.abort()
    } finally {
      kube.close()
    }
  })

  it('finds pods by app-name substring like aerakictl.sh, pod/NAME, and by label selector', async () => {
    const kube = KubeClient.create({kubeconfig, namespace: 'meta-thrift'})
    expect((await findPod(kube, {app: 'client'})).name).toBe('thrift-sample-client-6f9c7d8b5-x2k4p')
    expect((await findPod(kube, {app: 'pod/thrift-sample-server-v1-5c8476684-842l6'})).name).toBe('thrift-sample-server-v1-5c8476684-842l6')
    expect((await findPods(kube, {app: 'thrift-sample-server'})).map(p => p.name)).toEqual(['thrift-sample-server-v1-5c8476684-842l6', 'thrift-sample-server-v2-7d4b8c9f6-abcde'])
    expect((await findPods(kube, {selector: 'version=v1'})).map(p => p.name)).toEqual(['thrift-sample-server-v1-5c8476684-842l6'])
    const e = await error(findPod(kube, {app: 'consumer'}))
    expect(e.message).toBe('no pod in namespace meta-thrift matches "consumer" (full name or part of a name); pods there: thrift-sample-client-6f9c7d8b5-x2k4p, thrift-sample-server-v1-5c8476684-842l6, thrift-sample-server-v2-7d4b8c9f6-abcde')
    expect((await error(findPod(kube, {app: 'pod/thrift-sample-server'}))).message).toMatch(/^no pod in namespace meta-thrift matches pod\/thrift-sample-server; pods there: /)
  })

  it('names context and server URL when the API is unreachable', async () => {
    const dead = writeKubeconfig('dead', d => {
      d.clusters[0].cluster.server = 'https://127.0.0.1:1'
    })
    const e = await error(listPods(KubeClient.create({kubeconfig: dead}), {namespace: 'default'}))
    expect(e.kind).toBe('unreachable')
    expect(e.message).toMatch(/^cannot reach the Kubernetes API of context "aerakictl-playground" at https:\/\/127\.0\.0\.1:1: connection refused \(while trying to list pods in default\)/)
  })

  it('times out on a server that accepts connections but never answers, naming context and server', async () => {
    const net = await import('node:net')
    const held: import('node:net').Socket[] = []
    const silent = net.createServer(s => held.push(s))
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as {port: number}).port
    const cfg = writeKubeconfig('silent', d => {
      d.clusters[0].cluster.server = `https://127.0.0.1:${port}`
    })
    try {
      const e = await error(listPods(KubeClient.create({kubeconfig: cfg, timeoutMs: 200}), {namespace: 'default'}))
      expect(e.kind).toBe('timeout')
      expect(e.message).toBe(`no answer within 0.2s from the Kubernetes API of context "aerakictl-playground" at https://127.0.0.1:${port} (while trying to list pods in default)`)
    } finally {
      for (const s of held) s.destroy()
      await new Promise(r => silent.close(r))
    }
  })

  it('authenticates with a client certificate from the kubeconfig (and rejects one from another CA)', async () => {
    const certCfg = join(dir, 'cert')
    writeFileSync(certCfg, emu.kubeconfigYaml({clientCertUser: 'aerakictl-playground-limited'}))
    const kube = KubeClient.create({kubeconfig: certCfg})
    expect(await listPods(kube, {namespace: 'default'})).toEqual([])
    expect((await error(listPods(kube, {namespace: 'meta-thrift'}))).kind).toBe('forbidden')
    const {generateTlsMaterial, issueClientCert} = await import('@aerakictl/kube-emulator')
    const foreign = issueClientCert(generateTlsMaterial().ca, 'aerakictl-playground-admin')
    const foreignCfg = writeKubeconfig('foreign-cert', d => {
      d.users[0].user = {'client-certificate-data': Buffer.from(foreign.certPem).toString('base64'), 'client-key-data': Buffer.from(foreign.keyPem).toString('base64')}
    })
    const u = await error(listNamespaces(KubeClient.create({kubeconfig: foreignCfg})))
    expect(u.kind).toBe('unauthorized')
    expect(u.message).not.toContain('PRIVATE KEY')
  })

  it('401: explains the credentials were rejected, never printing the token', async () => {
    const bad = writeKubeconfig('bad', d => {
      d.users[0].user.token = 'super-secret-token-value'
    })
    const e = await error(listPods(KubeClient.create({kubeconfig: bad}), {namespace: 'default'}))
    expect(e.kind).toBe('unauthorized')
    expect(e.message).toContain(`context "aerakictl-playground" at ${emu.url} rejected the credentials`)
    expect(e.message).not.toContain('super-secret-token-value')
  })

  it('403: names verb, resource and namespace', async () => {
    const limited = writeKubeconfig('limited', d => {
      d.users[0].user.token = emu.limitedToken
    })
    const e = await error(listPods(KubeClient.create({kubeconfig: limited}), {namespace: 'meta-thrift'}))
    expect(e.kind).toBe('forbidden')
    expect(e.message).toMatch(/^forbidden: cannot list pods in meta-thrift /)
    expect(e.message).not.toContain(emu.limitedToken)
  })

  it('404: a kind the cluster does not serve says so', async () => {
    const kube = KubeClient.create({kubeconfig})
    const e = await error(kube.run({verb: 'list', resource: 'metarouters.metaprotocol.aeraki.io', namespace: 'meta-thrift'}, kc => kc.makeApiClient(k8s.CustomObjectsApi).listNamespacedCustomObject({group: 'metaprotocol.aeraki.io', version: 'v1alpha1', namespace: 'meta-thrift', plural: 'metarouters'})))
    expect(e.kind).toBe('not-found')
    expect(e.message).toMatch(/metarouters\.metaprotocol\.aeraki\.io not found in namespace meta-thrift/)
  })
})

describe('exec credential plugins (run by client-node)', () => {
  const plugin = (name: string, body: string) => {
    const p = join(dir, name)
    writeFileSync(p, `#!/usr/bin/env node\n${body}\n`)
    chmodSync(p, 0o755)
    return p
  }

  it('runs the plugin with its env, and caches the token it returns until it expires', async () => {
    const counter = join(dir, 'count')
    const p = plugin('cred.js', `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(counter)}, 'x');
if (process.env.PLUGIN_FLAVOUR !== 'tasty') process.exit(3);
console.log(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: {token: ${JSON.stringify(emu.token)}, expirationTimestamp: new Date(Date.now() + 3600e3).toISOString()}}))`)
    const cfg = writeKubeconfig('exec', d => {
      d.users[0].user = {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: p, env: [{name: 'PLUGIN_FLAVOUR', value: 'tasty'}], interactiveMode: 'Never'}}
    })
    const kube = KubeClient.create({kubeconfig: cfg})
    expect((await listNamespaces(kube)).items.map(n => n.metadata?.name)).toContain('meta-thrift')
    expect(await listPods(kube, {namespace: 'meta-thrift'})).toHaveLength(3)
    expect(readFileSync(counter, 'utf8')).toBe('x')
  })

  it('a failing plugin stops the request with its stderr', async () => {
    const p = plugin('fail.js', `console.error('login expired: run sso-login'); process.exit(2)`)
    const cfg = writeKubeconfig('exec-fail', d => {
      d.users[0].user = {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: p}}
    })
    const e = await error(listNamespaces(KubeClient.create({kubeconfig: cfg})))
    expect(e.message).toContain('login expired: run sso-login')
    // Issue 12 §6: named as the plugin's failure, not as an unreachable cluster.
    expect(e.kind).toBe('auth-plugin')
    expect(e.message).toBe(`the exec credential plugin "${p}" of user "aerakictl-playground" (context "aerakictl-playground") failed: login expired: run sso-login`)
  })

  it('a plugin missing from the PATH is named as such, not as "cannot reach the API … Is the cluster running?"', async () => {
    const cfg = writeKubeconfig('exec-missing', d => {
      d.users[0].user = {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: 'aerakictl-test-no-such-auth-plugin'}}
    })
    const e = await error(listNamespaces(KubeClient.create({kubeconfig: cfg})))
    expect(e.kind).toBe('auth-plugin')
    expect(e.message).toBe('the exec credential plugin "aerakictl-test-no-such-auth-plugin" of user "aerakictl-playground" (context "aerakictl-playground") was not found on the PATH: install it, or fix users[].user.exec.command in your kubeconfig')
    expect(e.message).not.toMatch(/cannot reach|Is the cluster running/)
  })

  it('a plugin that prints no ExecCredential JSON is named, without quoting its output', async () => {
    const p = plugin('garbage.js', `console.log('token=abc-secret-123 (not json)')`)
    const cfg = writeKubeconfig('exec-garbage', d => {
      d.users[0].user = {exec: {apiVersion: 'client.authentication.k8s.io/v1', command: p}}
    })
    const e = await error(listNamespaces(KubeClient.create({kubeconfig: cfg})))
    expect(e.kind).toBe('auth-plugin')
    expect(e.message).toContain('did not print an ExecCredential (its output is not JSON)')
    expect(e.message).not.toContain('abc-secret-123')
  })
})

describe('client certificate and key in the kubeconfig (issue 12 §6: the real cause, never "a CA problem")', () => {
  const pair = async () => {
    const {generateTlsMaterial, issueClientCert} = await import('@aerakictl/kube-emulator')
    return issueClientCert(generateTlsMaterial().ca, 'aerakictl-playground-admin')
  }
  const b64 = (s: string) => Buffer.from(s).toString('base64')

  it('a client-key-data that is not a key names the field and the user, never quoting it', async () => {
    const good = await pair()
    const cfg = writeKubeconfig('bad-key', d => {
      d.users[0].user = {'client-certificate-data': b64(good.certPem), 'client-key-data': b64('-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldC1ib2R5\n-----END PRIVATE KEY-----\n')}
    })
    const e = await error(listNamespaces(KubeClient.create({kubeconfig: cfg})))
    expect(e.kind).toBe('config')
    expect(e.message).toMatch(/^the client key users\[aerakictl-playground\]\.user\.client-key-data \(user "aerakictl-playground", context "aerakictl-playground"\) is not a usable PEM private key \(.+\): fix it in your kubeconfig$/)
    expect(e.message).not.toMatch(/certificate-authority|bm90LWEta2V5/)
  })

  it('a key that belongs to another certificate is named as a mismatched pair', async () => {
    const [a, b] = [await pair(), await pair()]
    const cfg = writeKubeconfig('mismatch', d => {
      d.users[0].user = {'client-certificate-data': b64(a.certPem), 'client-key-data': b64(b.keyPem)}
    })
    const e = await error(listNamespaces(KubeClient.create({kubeconfig: cfg})))
    expect(e.kind).toBe('config')
    expect(e.message).toBe('the client key users[aerakictl-playground].user.client-key-data does not belong to the client certificate users[aerakictl-playground].user.client-certificate-data (user "aerakictl-playground", context "aerakictl-playground"): they must be a pair')
  })

  it('a certificate-authority-data that is not a certificate names the cluster\'s CA', async () => {
    const cfg = writeKubeconfig('bad-ca', d => {
      d.clusters[0].cluster['certificate-authority-data'] = b64('not a certificate')
    })
    const e = await error(listNamespaces(KubeClient.create({kubeconfig: cfg})))
    expect(e.kind).toBe('config')
    expect(e.message).toMatch(/^the cluster's CA certificate clusters\[aerakictl-playground\]\.cluster\.certificate-authority-data of context "aerakictl-playground" is not a PEM certificate/)
  })
})
