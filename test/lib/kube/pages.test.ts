// Chunked lists (limit + continue, a fresh start after 410 Gone) and connection reuse, against a small API
// server whose pages, expiring continue tokens and TCP connections this test controls.
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {KubeClient} from '../../../src/lib/kube/client.js'
import {listPages, loadClusterObjects, peekContinue} from '../../../src/lib/cluster/objects.js'

const SERVICES = Array.from({length: 7}, (_, i) => ({metadata: {name: `svc-${i}`, namespace: 'default'}, spec: {ports: [{port: 9090, name: 'tcp-metaprotocol-thrift'}]}}))
let server: Server
let dir: string
let kubeconfig: string
let requests: string[] = []
let connections = 0
/** Continue tokens that answer 410 once (as an API server does after compaction). */
let expire = new Set<string>()
/** When set, list requests wait for this before they are answered (a slow API server). */
let hold: Promise<void> | undefined

function page(req: IncomingMessage, items: unknown[]) {
  const url = new URL(req.url ?? '/', 'http://x')
  const limit = Number(url.searchParams.get('limit') ?? 0) || items.length
  const start = Number(url.searchParams.get('continue') ?? 0)
  const end = Math.min(items.length, start + limit)
  return {kind: 'List', apiVersion: 'v1', metadata: end < items.length ? {continue: String(end)} : {}, items: items.slice(start, end)}
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    requests.push(req.url ?? '')
    if (hold) await hold
    const url = new URL(req.url ?? '/', 'http://x')
    const token = url.searchParams.get('continue')
    const send = (code: number, body: unknown) => {
      res.writeHead(code, {'content-type': 'application/json'})
      res.end(JSON.stringify(body))
    }
    if (token && expire.delete(token)) return send(410, {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'The provided continue parameter is too old'})
    if (url.pathname === '/api/v1/services') return send(200, page(req, SERVICES))
    if (url.pathname === '/api/v1/pods' || url.pathname.startsWith('/apis/') || url.pathname === '/api/v1/configmaps') return send(200, page(req, []))
    send(404, {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource'})
  })
  server.on('connection', () => connections++)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-pages-'))
  kubeconfig = join(dir, 'config')
  writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${(server.address() as AddressInfo).port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t0k3n-for-tests}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`)
})

afterAll(async () => {
  await new Promise((r) => server.close(r))
  rmSync(dir, {recursive: true, force: true})
})

beforeEach(() => {
  requests = []
  connections = 0
  expire = new Set()
  hold = undefined
})

describe('listPages', () => {
  it('reads a list in chunks of `limit`, following continue tokens to the end', async () => {
    const kube = KubeClient.create({kubeconfig})
    const pages: string[][] = []
    await listPages(kube, {apiVersion: 'v1', plural: 'services', resource: 'services'}, undefined, {limit: 3, onItems: (items) => pages.push(items.map((i) => i.metadata!.name!))})
    kube.close()
    expect(pages).toEqual([['svc-0', 'svc-1', 'svc-2'], ['svc-3', 'svc-4', 'svc-5'], ['svc-6']])
    expect(requests).toEqual(['/api/v1/services?limit=3', '/api/v1/services?limit=3&continue=3', '/api/v1/services?limit=3&continue=6'])
  })

  it('starts again from the beginning when a continue token has expired (410), and says so', async () => {
    expire.add('6')
    const kube = KubeClient.create({kubeconfig})
    const seen: string[] = []
    const restarts: number[] = []
    await listPages(kube, {apiVersion: 'v1', plural: 'services', resource: 'services'}, undefined, {
      limit: 3,
      onItems: (items, restart) => {
        if (restart) { restarts.push(seen.length); seen.length = 0 }
        seen.push(...items.map((i) => i.metadata!.name!))
      },
    })
    kube.close()
    expect(restarts).toEqual([6])
    expect(seen).toEqual(SERVICES.map((s) => s.metadata.name))
    expect(requests.filter((r) => !r.includes('continue'))).toHaveLength(2)
  })

  it('names the list and the namespace in a 404', async () => {
    const kube = KubeClient.create({kubeconfig})
    const err = await listPages(kube, {apiVersion: 'v1', plural: 'nothing', resource: 'nothing'}, 'ns1', {onItems: () => {}}).then(() => undefined, (e) => e)
    kube.close()
    expect(err?.kind).toBe('not-found')
    expect(requests).toEqual(['/api/v1/namespaces/ns1/nothing?limit=500'])
  })
})

describe('peekContinue', () => {
  it('reads the list\'s continue token from the start of its text, before the items', () => {
    const list = {kind: 'PodList', apiVersion: 'v1', metadata: {resourceVersion: '7', continue: 'eyJvIjo1MDB9', remainingItemCount: 3}, items: [{metadata: {name: 'a', continue: 'not-this'}}]}
    expect(peekContinue(JSON.stringify(list))).toBe('eyJvIjo1MDB9')
    expect(peekContinue(JSON.stringify({...list, metadata: {resourceVersion: '7'}}))).toBeUndefined()
  })

  it('gives no hint when the list\'s metadata is not before its items (the page is then parsed first)', () => {
    expect(peekContinue(JSON.stringify({kind: 'List', items: [{metadata: {continue: 'item-field'}}], metadata: {continue: 'x'}}))).toBeUndefined()
    expect(peekContinue('{"kind":"List","metadata":{"continue":')).toBeUndefined()
  })
})

describe('loadClusterObjects', () => {
  it('reads every kind over one kept-alive connection, without discovery requests, kubectl-sized chunks', async () => {
    const kube = KubeClient.create({kubeconfig})
    const {objects} = await loadClusterObjects(kube, undefined, {pods: true, progress: {isTTY: false, write: () => true}})
    kube.close()
    expect(objects.filter((o) => o.obj.kind === 'Service').map((o) => o.obj.metadata?.name)).toEqual(SERVICES.map((s) => s.metadata.name))
    expect(requests.every((r) => /[?&]limit=500(&|$)/.test(r))).toBe(true)
    expect(requests.some((r) => r === '/api/v1' || /^\/apis\/[^/]+\/[^/]+$/.test(r))).toBe(false)
    expect(requests.length).toBeGreaterThanOrEqual(7)
    expect(connections).toBe(1)
  })
})

describe('progress', () => {
  it('shows a progress line on a terminal once a read takes over a second, and erases it at the end', async () => {
    let release!: () => void
    hold = new Promise((r) => (release = r))
    const written: string[] = []
    const tty = {isTTY: true, write: (s: string) => { written.push(s); release(); return true }}
    const kube = KubeClient.create({kubeconfig})
    const {objects} = await loadClusterObjects(kube, undefined, {kinds: ['Service'], progress: tty})
    kube.close()
    expect(objects).toHaveLength(SERVICES.length)
    // the first line came while the list was held (nothing read yet), then counts, then the erase
    expect(written[0]).toContain('reading the cluster')
    expect(written.some((w) => w.includes(`${SERVICES.length} services`))).toBe(true)
    expect(written.at(-1)).toBe('\r\x1b[2K')
  })

  it('prints nothing when the output is not a terminal', async () => {
    const written: string[] = []
    const kube = KubeClient.create({kubeconfig})
    await loadClusterObjects(kube, undefined, {kinds: ['Service'], progress: {isTTY: false, write: (s: string) => written.push(s)}})
    kube.close()
    expect(written).toEqual([])
  })
})

describe('against the emulator', () => {
  it('pages a namespace of pods with limit/continue, and starts again when the token is compacted away mid-list', async () => {
    const {startEmulator} = await import('../../support/emulator.js')
    const emu = await startEmulator({bare: true, podStartDelayMs: 1})
    const kc = join(dir, 'emu.kubeconfig')
    writeFileSync(kc, emu.kubeconfigYaml())
    try {
      const {cluster} = emu.state
      const pods = cluster.type('', 'pods')
      cluster.create(cluster.type('', 'namespaces'), undefined, {metadata: {name: 'big'}})
      for (let i = 0; i < 12; i++) cluster.create(pods, 'big', {metadata: {name: `p-${String(i).padStart(2, '0')}`}, spec: {containers: [{name: 'app', image: 'x'}]}})
      const kube = KubeClient.create({kubeconfig: kc})
      const names: string[] = []
      let pagesSeen = 0
      let restarts = 0
      await listPages(kube, {apiVersion: 'v1', plural: 'pods', resource: 'pods'}, 'big', {
        limit: 5,
        onItems: (items, restart) => {
          if (restart) { restarts++; names.length = 0 }
          names.push(...items.map((i) => i.metadata!.name!))
          // after the first page: a write, then compaction past the list's resourceVersion
          if (++pagesSeen === 1) {
            cluster.create(pods, 'big', {metadata: {name: 'p-12'}, spec: {containers: [{name: 'app', image: 'x'}]}})
            emu.faults.expireWatches()
          }
        },
      })
      kube.close()
      expect(restarts).toBe(1)
      expect(names).toEqual(Array.from({length: 13}, (_, i) => `p-${String(i).padStart(2, '0')}`))
    } finally {
      await emu.close()
    }
  })
})
