// app-log's library against the emulator over real sockets: several pods with prefixes, --tail/--since, pods
// appearing and going away under -f, a stream cut mid-line, wrong containers, 403 on pods/log, output formats.
import * as k8s from '@kubernetes/client-node'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {connect} from '../../../src/lib/cluster/connect.js'
import {KubeError} from '../../../src/lib/kube/errors.js'
import {PodCalls} from '../../../src/lib/logs/pod-calls.js'
import {eventually} from '../emulator/helpers.js'
import {startPlaygroundWithDemo, type Playground} from '../../support/playground.js'
import {startForbidLogsProxy} from './forbid-logs-proxy.js'
import {startFaultProxy, type FaultProxy} from '../../support/fault-proxy.js'
import {until} from '../../support/wait.js'
import type {SessionResult} from '../../../src/lib/logs/session.js'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runSession, startSession, type RunningSession} from './helpers.js'

let pg: Playground
let core: k8s.CoreV1Api

async function createPods(ns: string, names: string[], containers = ['main']): Promise<void> {
  await core.createNamespace({body: {metadata: {name: ns}}}).catch(() => undefined)
  for (const name of names) {
    await core.createNamespacedPod({namespace: ns, body: {metadata: {name, labels: {app: name.replace(/-[^-]+$/, '')}}, spec: {containers: containers.map((c) => ({name: c, image: `example/${c}`}))}}})
  }
  for (const name of names) await eventually(async () => (await core.readNamespacedPod({namespace: ns, name})).status?.phase === 'Running')
}

const buffer = (ns: string, pod: string, c = 'main') => pg.emu.state.logs.buffer(ns, pod, c)

beforeAll(async () => {
  pg = await startPlaygroundWithDemo({bare: true})
  const kc = new k8s.KubeConfig()
  kc.loadFromFile(pg.kubeconfig)
  core = kc.makeApiClient(k8s.CoreV1Api)
})
afterAll(() => pg?.close())

describe('reading without -f', () => {
  it('prints every matching pod with its prefix, pod by pod in name order', async () => {
    await createPods('several', ['web-c', 'web-a', 'web-b', 'db-a'])
    for (const p of ['web-a', 'web-b', 'web-c', 'db-a']) for (let i = 1; i <= 3; i++) buffer('several', p).push(`${p} says ${i}`)
    const {stdout, stderr, result} = await runSession(pg.kubeconfig, {namespace: 'several', app: 'web', maxLogRequests: 3})
    expect(result.exitCode, stderr.text).toBe(0)
    expect(stdout.lines()).toEqual(['web-a', 'web-b', 'web-c'].flatMap((p) => [1, 2, 3].map((i) => `${p} ${p} says ${i}`)))
  })

  it('selects by label with -l, and honours --tail and --since', async () => {
    await createPods('window', ['api-x', 'api-y'])
    for (const p of ['api-x', 'api-y']) {
      buffer('window', p).push('ten minutes ago', new Date(Date.now() - 600_000))
      buffer('window', p).push('five minutes ago', new Date(Date.now() - 300_000))
      buffer('window', p).push('just now')
    }
    const tail = await runSession(pg.kubeconfig, {namespace: 'window', selector: 'app=api', tailLines: 2})
    expect(tail.stdout.lines()).toEqual(['api-x five minutes ago', 'api-x just now', 'api-y five minutes ago', 'api-y just now'])
    const since = await runSession(pg.kubeconfig, {namespace: 'window', app: 'api-y', sinceSeconds: 420})
    expect(since.stdout.lines()).toEqual(['api-y five minutes ago', 'api-y just now'])
    const none = await runSession(pg.kubeconfig, {namespace: 'window', app: 'api', tailLines: 0})
    expect(none.stdout.text).toBe('')
    const sinceTime = await runSession(pg.kubeconfig, {namespace: 'window', app: 'api-x', sinceTime: new Date(Date.now() - 400_000).toISOString()})
    expect(sinceTime.stdout.lines()).toEqual(['api-x five minutes ago', 'api-x just now'])
  })

  it('writes -o raw, -o json with the server timestamp, --timestamps, and --include/--exclude on the message', async () => {
    await createPods('formats', ['fmt-a'])
    for (const m of ['GET /health', 'POST /orders', 'GET /orders', 'fmt-a']) buffer('formats', 'fmt-a').push(m)
    const raw = await runSession(pg.kubeconfig, {namespace: 'formats', app: 'fmt', output: 'raw'})
    expect(raw.stdout.lines()).toEqual(['GET /health', 'POST /orders', 'GET /orders', 'fmt-a'])
    const json = await runSession(pg.kubeconfig, {namespace: 'formats', app: 'fmt', output: 'json', tailLines: 1})
    const obj = JSON.parse(json.stdout.lines()[0])
    expect(Object.keys(obj)).toEqual(['pod', 'container', 'namespace', 'timestamp', 'message'])
    expect(obj).toMatchObject({pod: 'fmt-a', container: 'main', namespace: 'formats', message: 'fmt-a'})
    expect(obj.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/)
    const ts = await runSession(pg.kubeconfig, {namespace: 'formats', app: 'fmt', timestamps: true, tailLines: 1})
    expect(ts.stdout.lines()[0]).toBe(`fmt-a ${obj.timestamp} fmt-a`)
    // The prefix holds "fmt-a" on every line: filters look at the message only.
    const filtered = await runSession(pg.kubeconfig, {namespace: 'formats', app: 'fmt', include: [/orders/], exclude: [/^POST/]})
    expect(filtered.stdout.lines()).toEqual(['fmt-a GET /orders'])
    const notPrefix = await runSession(pg.kubeconfig, {namespace: 'formats', app: 'fmt', include: [/fmt-a/]})
    expect(notPrefix.stdout.lines()).toEqual(['fmt-a fmt-a'])
  })

  it('colours each pod\'s prefix the same way every time, and only when asked to', async () => {
    const a = await runSession(pg.kubeconfig, {namespace: 'several', app: 'web', color: true, tailLines: 1})
    const b = await runSession(pg.kubeconfig, {namespace: 'several', app: 'web', color: true, tailLines: 1})
    // eslint-disable-next-line no-control-regex
    const codes = (text: string) => text.split('\n').filter(Boolean).map((l) => /^\u001b\[(\d+)m/.exec(l)?.[1])
    expect(codes(a.stdout.text).every(Boolean)).toBe(true)
    expect(codes(a.stdout.text)).toEqual(codes(b.stdout.text))
    const plain = await runSession(pg.kubeconfig, {namespace: 'several', app: 'web', tailLines: 1})
    expect(plain.stdout.text).not.toContain('\u001b[')
  })
})

describe('containers', () => {
  it('tails the application container, not istio-proxy; --sidecar the proxy; -c several with a container column', async () => {
    await core.createNamespace({body: {metadata: {name: 'mesh', labels: {'istio-injection': 'enabled'}}}})
    await createPods('mesh', ['shop-1'], ['shop'])
    buffer('mesh', 'shop-1', 'shop').push('app line')
    const app = await runSession(pg.kubeconfig, {namespace: 'mesh', app: 'shop'})
    expect(app.stdout.lines()).toEqual(['shop-1 app line'])
    const sidecar = await runSession(pg.kubeconfig, {namespace: 'mesh', app: 'shop', containers: {kind: 'sidecar'}})
    expect(sidecar.stdout.lines().length).toBeGreaterThan(0)
    expect(sidecar.stdout.lines().every((l) => l.startsWith('shop-1 ') && !l.includes('app line'))).toBe(true)
    const both = await runSession(pg.kubeconfig, {namespace: 'mesh', app: 'shop', containers: {kind: 'named', names: ['shop', 'istio-proxy']}})
    expect(both.stdout.lines()[0]).toBe('shop-1 shop app line')
    expect(both.stdout.lines().slice(1).every((l) => l.startsWith('shop-1 istio-proxy '))).toBe(true)
  })

  it('a wrong container name lists the containers the pods have', async () => {
    const e = await runSession(pg.kubeconfig, {namespace: 'mesh', app: 'shop', containers: {kind: 'named', names: ['nope']}}).catch((x) => x)
    expect(e).toBeInstanceOf(KubeError)
    expect(e.message).toBe('no container "nope" in the matching pods in namespace mesh: shop-1 has shop, istio-proxy. Pick one with -c')
    // When the log request itself fails, the follow-up call recovers the server's reason and lists them too.
    const conn = await connect({kubeconfig: pg.kubeconfig})
    const why = await new PodCalls(conn).diagnose({namespace: 'mesh', pod: 'shop-1', container: 'nope'})
    conn.close()
    expect(why?.message).toBe('container "nope" is not valid for pod shop-1 in namespace mesh; its containers: shop, istio-proxy')
  })

  it('no matching pod names the pods that are there', async () => {
    const e = await runSession(pg.kubeconfig, {namespace: 'several', app: 'nothing-like-this'}).catch((x) => x)
    expect(e.message).toBe('no pod in namespace several matches "nothing-like-this" (full name or part of a name); pods there: db-a, web-a, web-b, web-c')
  })
})

describe('following (-f)', () => {
  it('picks up a pod that appears (from its start) and closes one that is deleted', async () => {
    await createPods('churn', ['job-a', 'job-b'])
    buffer('churn', 'job-a').push('a before')
    const s = await startSession(pg.kubeconfig, {namespace: 'churn', app: 'job', follow: true, tailLines: 10})
    await eventually(() => s.stdout.text.includes('job-a a before'))
    expect(s.stderr.text).toContain('+ job-a › main\n')
    expect(s.stderr.text).toContain('+ job-b › main\n')
    await createPods('churn', ['job-c'])
    buffer('churn', 'job-c').push('c first')
    buffer('churn', 'job-c').push('c second')
    await eventually(() => s.stdout.text.includes('job-c c second'))
    expect(s.stdout.lines().filter((l) => l.startsWith('job-c'))).toEqual(['job-c c first', 'job-c c second'])
    expect(s.stderr.text).toContain('+ job-c › main\n')
    // Watches that expire (410 Gone) are replaced by a fresh list: nothing that happens meanwhile is missed.
    pg.emu.faults.expireWatches()
    await createPods('churn', ['job-d'])
    buffer('churn', 'job-d').push('d first')
    await eventually(() => s.stdout.text.includes('job-d d first'))
    await core.deleteNamespacedPod({namespace: 'churn', name: 'job-a'})
    await eventually(() => s.stderr.text.includes('- job-a › main\n'))
    buffer('churn', 'job-b').push('b still here')
    await eventually(() => s.stdout.text.includes('job-b b still here'))
    s.stop()
    expect((await s.done).exitCode).toBe(0)
  })

  /**
   * A -f session of APP in NAMESPACE through a proxy that holds the request matching `hold`: Ctrl-C once the request
   * is held, then the answer. The session must end (exit 0); `then` checks more before the proxy goes.
   */
  async function interruptWhileHeld(namespace: string, app: string, hold: RegExp, o: {what: string; heldMs?: number; endMs?: number; then?: (s: RunningSession, proxy: FaultProxy) => Promise<void>}) {
    const proxy = await startFaultProxy(pg.emu, {hold})
    const dir = mkdtempSync(join(tmpdir(), 'aerakictl-hold-'))
    let s: RunningSession | undefined
    try {
      s = await startSession(proxy.writeKubeconfig(join(dir, 'kubeconfig'), namespace), {namespace, app, follow: true})
      await until(() => proxy.held === 1, `the ${o.what} to reach the API server`, o.heldMs)
      s.stop()
      proxy.release()
      let result: SessionResult | undefined
      void s.done.then((r) => (result = r))
      await until(() => result, 'the session to end after Ctrl-C', o.endMs).catch((e) => { throw new Error(`${e.message}; stderr: ${s!.stderr.text}`) })
      expect(result!.exitCode).toBe(0)
      await o.then?.(s, proxy)
    } finally {
      s?.stop()
      await proxy.close()
      rmSync(dir, {recursive: true, force: true})
    }
  }

  it('Ctrl-C while a log stream is still being opened ends the session, and closes the stream answered after it', async () => {
    await createPods('opening', ['slow-a'])
    buffer('opening', 'slow-a').push('slow first')
    // The answer comes after Ctrl-C: the session used to wait on that live stream for ever (a hung app-log -f).
    await interruptWhileHeld('opening', 'slow', /^GET \/api\/v1\/namespaces\/opening\/pods\/slow-a\/log\?/, {what: 'log request', then: async (s, proxy) => {
      expect(s.stderr.text).toBe('+ slow-a › main\n')
      // Its connection is closed (the stream given up), not kept open.
      await until(() => proxy.openConnections() === 0, 'the log stream to be closed')
    }})
  })

  it('Ctrl-C while the pods are being listed ends the session once the list is answered', async () => {
    await createPods('listing', ['list-a'])
    // The list is answered after Ctrl-C; the log stream opened then never is (the proxy sends its headers with the
    // first byte, and the log is empty): neither may hold the session.
    await interruptWhileHeld('listing', 'list', /^GET \/api\/v1\/namespaces\/listing\/pods\?/, {what: 'list request', heldMs: 60_000, endMs: 30_000})
  }, 120_000)

  it('resumes a stream cut mid-line by the server with no line lost or repeated', async () => {
    await createPods('cut', ['feed-1'])
    const buf = buffer('cut', 'feed-1')
    const t0 = new Date(Date.now() - 5_000)
    for (let i = 0; i < 10; i++) buf.push(`line ${i}`, i >= 2 && i <= 6 ? t0 : new Date(t0.getTime() + (i < 2 ? -500 + i : 100 + i)))
    // The first stream breaks inside line 4 (lines 2-6 share one timestamp); the resumed one breaks again early.
    pg.emu.faults.cutNextLogStream('feed-1', 4)
    pg.emu.faults.cutNextLogStream('feed-1', 3)
    const s = await startSession(pg.kubeconfig, {namespace: 'cut', app: 'feed', follow: true})
    for (let i = 10; i < 20; i++) buf.push(`line ${i}`)
    await eventually(() => s.stdout.text.includes('feed-1 line 19\n'))
    for (let i = 20; i < 25; i++) buf.push(`line ${i}`)
    await eventually(() => s.stdout.text.includes('feed-1 line 24\n'))
    s.stop()
    await s.done
    expect(s.stdout.lines()).toEqual(buf.lines.map((l) => `feed-1 ${l.text}`))
    expect(s.stderr.text.match(/stream cut/g)).toHaveLength(2)
    expect(s.stderr.text).toMatch(/feed-1 › main: stream cut \(.+\); resuming after \d{4}-/)
  })

  it('refuses more streams than --max-log-requests allows, naming the flag', async () => {
    const e = await runSession(pg.kubeconfig, {namespace: 'several', app: 'web', follow: true, maxLogRequests: 2}).catch((x) => x)
    expect(e.message).toBe('--max-log-requests: 3 log streams would be followed but at most 2 are allowed; raise --max-log-requests or narrow the query (APP, -l, -c)')
  })

  it('with -f, a pod that appears beyond --max-log-requests waits for a free stream', async () => {
    await createPods('capped', ['q-1', 'q-2'])
    const s = await startSession(pg.kubeconfig, {namespace: 'capped', app: 'q-', follow: true, maxLogRequests: 2})
    await eventually(() => s.stderr.text.includes('+ q-2 › main'))
    await createPods('capped', ['q-3'])
    buffer('capped', 'q-3').push('q-3 was queued')
    await eventually(() => s.stderr.text.includes('q-3 › main: waiting, 2 streams are open (--max-log-requests 2)'))
    expect(s.stdout.text).not.toContain('q-3 was queued')
    await core.deleteNamespacedPod({namespace: 'capped', name: 'q-1'})
    await eventually(() => s.stdout.text.includes('q-3 q-3 was queued'))
    expect(s.stderr.text).toMatch(/- q-1 › main\n[\s\S]*\+ q-3 › main\n/)
    s.stop()
    await s.done
  })

  it('caps concurrent reads without -f and still prints pod by pod', async () => {
    const {stdout} = await runSession(pg.kubeconfig, {namespace: 'several', maxLogRequests: 1, tailLines: 1})
    expect(stdout.lines()).toEqual(['db-a db-a says 3', 'web-a web-a says 3', 'web-b web-b says 3', 'web-c web-c says 3'])
  })
})

describe('permissions', () => {
  it('a 403 on pods/log says which namespace (the follow-up call keeps the server\'s answer)', async () => {
    const proxy = await startForbidLogsProxy(pg.emu, 'several')
    try {
      for (const follow of [false, true]) {
        const {stderr, result} = await runSession(proxy.kubeconfig, {namespace: 'several', app: 'web-a', follow})
        // A 403 is the cluster refusing: exit 4 in the one table (src/lib/cli/exit-codes.ts).
        expect(result.exitCode).toBe(4)
        expect(stderr.text).toContain('Error: forbidden: cannot get pods/log in several (name "web-a"')
      }
    } finally {
      await proxy.close()
    }
  })

  it('a token without access to the namespace is told so when listing pods', async () => {
    const e = await runSession(pg.limitedKubeconfig, {namespace: 'several', app: 'web'}).catch((x) => x)
    expect(e).toBeInstanceOf(KubeError)
    expect(e.message).toMatch(/^forbidden: cannot list pods in several \(user "aerakictl-playground", context "aerakictl-playground"\)/)
  })
})
