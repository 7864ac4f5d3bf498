import {PassThrough, Writable} from 'node:stream'
import * as k8s from '@kubernetes/client-node'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Emulator} from '../../support/emulator.js'
import {apiError, eventually, kubeconfigFor, withEmulator} from './helpers.js'

let emu: Emulator
let kc: k8s.KubeConfig
let core: k8s.CoreV1Api
let sidecarPod: string

function collector() {
  let text = ''
  const w = new Writable({write(c, _e, cb) { text += c.toString(); cb() }})
  return {w, text: () => text}
}

beforeAll(async () => {
  ;({emu, kc} = await withEmulator({bare: true}))
  core = kc.makeApiClient(k8s.CoreV1Api)
  await core.createNamespace({body: {metadata: {name: 'mesh', labels: {'istio-injection': 'enabled'}}}})
  await core.createNamespacedPod({namespace: 'mesh', body: {metadata: {name: 'app', labels: {app: 'app'}}, spec: {containers: [{name: 'app', image: 'example/app'}]}}})
  await core.createNamespacedPod({namespace: 'default', body: {metadata: {name: 'plain'}, spec: {containers: [{name: 'main', image: 'example/plain'}]}}})
  sidecarPod = 'app'
  await eventually(async () => (await core.readNamespacedPod({namespace: 'mesh', name: 'app'})).status?.phase === 'Running')
  await eventually(async () => (await core.readNamespacedPod({namespace: 'default', name: 'plain'})).status?.phase === 'Running')
  const buf = emu.state.logs.buffer('default', 'plain', 'main')
  for (let i = 1; i <= 5; i++) buf.push(`line ${i}`, new Date(Date.now() - (6 - i) * 60_000))
})
afterAll(() => emu.close())

describe('sidecar injection', () => {
  it('adds istio-proxy in istio-injection=enabled namespaces only', async () => {
    const injected = await core.readNamespacedPod({namespace: 'mesh', name: 'app'})
    expect(injected.spec?.containers.map((c) => c.name)).toEqual(['app', 'istio-proxy'])
    expect(injected.metadata?.annotations?.['kubectl.kubernetes.io/default-container']).toBe('app')
    expect(injected.status?.containerStatuses?.every((c) => c.ready)).toBe(true)
    const plain = await core.readNamespacedPod({namespace: 'default', name: 'plain'})
    expect(plain.spec?.containers.map((c) => c.name)).toEqual(['main'])
    expect(plain.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/)
  })
})

describe('pod logs', () => {
  it('reads with tailLines, timestamps and sinceSeconds', async () => {
    const tail = await core.readNamespacedPodLog({namespace: 'default', name: 'plain', tailLines: 2})
    expect(tail).toBe('line 4\nline 5\n')
    const ts = await core.readNamespacedPodLog({namespace: 'default', name: 'plain', tailLines: 1, timestamps: true})
    expect(ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 5\n$/)
    const since = await core.readNamespacedPodLog({namespace: 'default', name: 'plain', sinceSeconds: 150})
    expect(since).toBe('line 4\nline 5\n')
    const sinceTime = new Date(Date.now() - 210_000).toISOString()
    const viaTime = await new Promise<string>((resolve, reject) => {
      const c = collector()
      new k8s.Log(kc).log('default', 'plain', 'main', c.w, {sinceTime}).then((req) => { void req }).catch(reject)
      c.w.on('finish', () => resolve(c.text()))
    })
    expect(viaTime).toBe('line 3\nline 4\nline 5\n')
  })

  it('follows new lines until aborted', async () => {
    const c = collector()
    const ctl = await new k8s.Log(kc).log('default', 'plain', 'main', c.w, {follow: true, tailLines: 1})
    await eventually(() => c.text() === 'line 5\n')
    emu.state.logs.buffer('default', 'plain', 'main').push('line 6')
    await eventually(() => c.text() === 'line 5\nline 6\n')
    ctl.abort()
  })

  it('gives clear 400s: previous=true, wrong container, container required', async () => {
    const prev = await core.readNamespacedPodLog({namespace: 'default', name: 'plain', previous: true}).catch((x) => x)
    expect(apiError(prev)).toMatchObject({code: 400, body: {message: 'previous terminated container "main" in pod "plain" not found'}})
    const wrong = await core.readNamespacedPodLog({namespace: 'default', name: 'plain', container: 'nope'}).catch((x) => x)
    expect(apiError(wrong).body.message).toBe('container nope is not valid for pod plain')
    const need = await core.readNamespacedPodLog({namespace: 'mesh', name: 'app'}).catch((x) => x)
    expect(apiError(need).body.message).toBe('a container name must be specified for pod app, choose one of: [app istio-proxy]')
  })

  it('fault: a follow stream cut mid-line by the server', async () => {
    // client-node pipes the body without propagating the error, so read the stream with node:https.
    emu.faults.cutNextLogStream('plain', 2)
    const https = await import('node:https')
    const {text, aborted} = await new Promise<{text: string; aborted: boolean}>((resolve, reject) => {
      const req = https.get(`${emu.url}/api/v1/namespaces/default/pods/plain/log?follow=true&tailLines=3`, {ca: emu.caPem, headers: {authorization: `Bearer ${emu.token}`}}, (res) => {
        let t = ''
        res.on('data', (c) => (t += c))
        res.on('aborted', () => resolve({text: t, aborted: true}))
        res.on('error', () => resolve({text: t, aborted: true}))
        res.on('end', () => resolve({text: t, aborted: false}))
      })
      req.on('error', reject)
    })
    expect(aborted).toBe(true)
    expect(text.startsWith('line 4\nline 5\n')).toBe(true)
    const rest = text.slice('line 4\nline 5\n'.length)
    expect(rest.length).toBeGreaterThan(0)
    expect(rest.endsWith('\n')).toBe(false)
    expect('line 6\n'.startsWith(rest)).toBe(true)
  })
})

describe('exec', () => {
  const run = async (ns: string, pod: string, container: string, cmd: string[], stdin?: string, client = kc) => {
    const out = collector(), err = collector()
    let input: PassThrough | null = null
    if (stdin !== undefined) { input = new PassThrough(); input.end(stdin) }
    const status = await new Promise<k8s.V1Status>((resolve, reject) => {
      new k8s.Exec(client).exec(ns, pod, container, cmd, out.w, err.w, input, false, (s) => resolve(s)).catch(reject)
    })
    return {out: out.text(), err: err.text(), status}
  }

  it('runs echo and reports success on the status channel', async () => {
    const r = await run('default', 'plain', 'main', ['echo', 'hello', 'world'])
    expect(r.out).toBe('hello world\n')
    expect(r.status.status).toBe('Success')
  })

  it('passes stdin through cat (v5 stdin close)', async () => {
    const r = await run('default', 'plain', 'main', ['cat'], 'piped input')
    expect(r.out).toBe('piped input')
  })

  it('reports a non-zero exit code', async () => {
    const r = await run('default', 'plain', 'main', ['sh', '-c', 'exit 7'])
    expect(r.status).toMatchObject({status: 'Failure', reason: 'NonZeroExitCode', details: {causes: [{reason: 'ExitCode', message: '7'}]}})
  })

  it('answers pilot-agent request GET config_dump and curl to the admin port in istio-proxy', async () => {
    const r = await run('mesh', sidecarPod, 'istio-proxy', ['pilot-agent', 'request', 'GET', 'config_dump'])
    const dump = JSON.parse(r.out)
    expect(Array.isArray(dump.configs)).toBe(true)
    expect(JSON.stringify(dump)).toContain('BootstrapConfigDump')
    const c = await run('mesh', sidecarPod, 'istio-proxy', ['curl', '-s', 'http://127.0.0.1:15000/config_dump'])
    expect(JSON.parse(c.out).configs.length).toBe(dump.configs.length)
    const app = await run('mesh', sidecarPod, 'app', ['pilot-agent', 'request', 'GET', 'config_dump'])
    expect(app.status.status).toBe('Failure')
    expect(app.err).toMatch(/executable file not found/)
  })

  it('serves a v4.channel.k8s.io-only client', async () => {
    const {WebSocket} = await import('ws')
    const url = `${emu.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/plain/exec?command=echo&command=v4&stdout=true&stderr=true`
    const frames: Buffer[] = []
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(url, ['v4.channel.k8s.io'], {ca: emu.caPem, headers: {authorization: `Bearer ${emu.token}`}})
      ws.on('message', (d: Buffer) => frames.push(Buffer.from(d)))
      ws.on('close', () => resolve())
      ws.on('error', reject)
    })
    expect(frames.find((f) => f[0] === 1)?.subarray(1).toString()).toBe('v4\n')
    expect(JSON.parse(frames.find((f) => f[0] === 3)!.subarray(1).toString()).status).toBe('Success')
  })
})

describe('port-forward (client-node)', () => {
  it('forwards to the sidecar admin port 15000 and answers GET /config_dump', async () => {
    const out = collector(), err = collector()
    const input = new PassThrough()
    const ws = await new k8s.PortForward(kc).portForward('mesh', sidecarPod, [15000], out.w, err.w, input) as any
    input.write('GET /config_dump HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
    await eventually(() => /\r\n\r\n[\s\S]*\}\n$/.test(out.text()))
    expect(out.text()).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    const body = out.text().split('\r\n\r\n')[1]
    expect(JSON.parse(body).configs.length).toBeGreaterThan(0)
    ws.close?.()
  })

  it('reports a refused port on the error channel', async () => {
    const out = collector(), err = collector()
    const ws = await new k8s.PortForward(kc, false).portForward('default', 'plain', [8080], out.w, err.w, new PassThrough()) as any
    await eventually(() => err.text().includes('connection refused'))
    ws.close?.()
  })
})

describe('authentication and authorisation', () => {
  it('answers 401 for a wrong token', async () => {
    const bad = kubeconfigFor(emu, 'not-the-token').makeApiClient(k8s.CoreV1Api)
    const e = await bad.listNamespacedPod({namespace: 'default'}).catch((x) => x)
    expect(apiError(e).code).toBe(401)
    const https = await import('node:https')
    const body = await new Promise<any>((resolve, reject) => {
      https.get(`${emu.url}/api/v1/pods`, {ca: emu.caPem, headers: {authorization: 'Bearer wrong'}}, (res) => {
        let t = ''
        res.on('data', (c) => (t += c))
        res.on('end', () => resolve({httpStatus: res.statusCode, ...JSON.parse(t)}))
      }).on('error', reject)
    })
    expect(body).toMatchObject({httpStatus: 401, kind: 'Status', reason: 'Unauthorized', code: 401})
  })

  it('accepts client certificates signed by the playground CA (client-node)', async () => {
    const certKc = new k8s.KubeConfig()
    certKc.loadFromString(emu.kubeconfigYaml({clientCertUser: 'aerakictl-playground-admin'}))
    expect(certKc.getCurrentUser()?.certData).toBeTruthy()
    const nss = await certKc.makeApiClient(k8s.CoreV1Api).listNamespace()
    expect(nss.items.map((n) => n.metadata?.name)).toContain('mesh')
  })

  it('answers 403 naming verb, resource and namespace for the limited token', async () => {
    const limited = kubeconfigFor(emu, emu.limitedToken).makeApiClient(k8s.CoreV1Api)
    const ok = await limited.listNamespacedPod({namespace: 'default'})
    expect(ok.items.map((p) => p.metadata?.name)).toEqual(['plain'])
    const e = await limited.readNamespacedPodLog({namespace: 'mesh', name: 'app', container: 'app'}).catch((x) => x)
    expect(apiError(e).code).toBe(403)
    expect(apiError(e).body.message).toBe('pods "app" is forbidden: User "aerakictl-playground-limited" cannot get resource "pods/log" in API group "" in the namespace "mesh"')
    const ex = await new Promise((resolve) => {
      new k8s.Exec(kubeconfigFor(emu, emu.limitedToken)).exec('mesh', 'app', 'app', ['echo'], null, null, null, false).then(() => resolve('opened'), resolve)
    })
    expect(String((ex as Error).message ?? ex)).toMatch(/403|Unexpected server response/)
  })
})
