// Conformance: the real kubectl (v1.32) against the emulator. Each run gets its own --kubeconfig and
// --cache-dir in a temp dir. kubectl is spawned asynchronously: a sync spawn would block the event loop
// the in-process emulator needs.
import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {get} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as yaml from 'js-yaml'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startEmulator, type Emulator} from '../support/emulator.js'
import {until} from '../support/wait.js'
import {THRIFT_DEMO} from '../support/demo.js'
import {ROOT} from '../support/cli.js'

// kubectl (v1.32) must be on PATH (.ci/run installs it when missing); without it these tests fail (spawn ENOENT).
const kubectl = 'kubectl'
const demoDir = THRIFT_DEMO

let emu: Emulator
let dir: string
let kubeconfig: string
const children = new Set<ChildProcess>()

function run(args: string[], opts: {allowFail?: boolean} = {}): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, 'cache')}`, ...args], {timeout: 20_000, env: {...process.env, KUBECONFIG: ''}}, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0
      if (code !== 0 && !opts.allowFail) reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${stderr}`))
      else resolve({code, stdout, stderr})
    })
  })
}

/** Starts a long-running kubectl and resolves once its stdout matches (fails if it exits first). */
async function spawnUntil(args: string[], done: (out: string) => boolean, env: Record<string, string> = {}): Promise<{child: ChildProcess; out: () => string}> {
  const child = spawn(kubectl, [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, 'cache')}`, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, ...env}})
  children.add(child)
  let out = '', err = ''
  let exited: number | null | undefined
  child.stdout!.on('data', (c) => (out += c))
  child.stderr!.on('data', (c) => (err += c))
  child.on('exit', (code) => (exited = code))
  await until(() => done(out) || exited !== undefined, `kubectl ${args.join(' ')} printing what the test waits for\n${out}\n${err}`, 20_000)
  if (!done(out)) throw new Error(`kubectl ${args.join(' ')} exited ${exited}: ${err}`)
  return {child, out: () => out}
}

describe('kubectl conformance', () => {
  beforeAll(async () => {
    emu = await startEmulator({speed: 20, podStartDelayMs: 20})
    dir = mkdtempSync(join(tmpdir(), 'aerakictl-kubectl-'))
    kubeconfig = join(dir, 'kubeconfig')
    writeFileSync(kubeconfig, emu.kubeconfigYaml())
  })
  afterAll(async () => {
    for (const c of children) c.kill()
    await emu?.close()
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('get pods prints the server-side table', async () => {
    const r = await until(async () => {
      const got = await run(['get', 'pods', '-n', 'istio-system'])
      const rows = got.stdout.trim().split('\n').slice(1)
      return rows.length >= 2 && rows.every((l) => / Running /.test(l)) && got
    }, 'every istio-system pod Running')
    const lines = r.stdout.trim().split('\n')
    expect(lines[0].split(/\s+/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'])
    // istiod, aeraki and whatever else the playground seeds there (the ingress gateway): each one container, Running.
    for (const l of lines.slice(1)) expect(l.split(/\s+/).slice(1, 4).join(' ')).toBe('1/1 Running 0')
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(expect.arrayContaining([expect.stringMatching(/^aeraki-/), expect.stringMatching(/^istiod-/)]))
    expect(lines[1]).toMatch(/^aeraki-\w+-\w{5}\s/)
  })

  it('get -o json returns a List of the objects', async () => {
    const r = await run(['get', 'namespaces', '-o', 'json'])
    const list = JSON.parse(r.stdout)
    expect(list.kind).toBe('List')
    expect(list.items.map((n: any) => n.metadata.name)).toEqual(expect.arrayContaining(['default', 'istio-system']))
    const pods = JSON.parse((await run(['get', 'pods', '-n', 'istio-system', '-l', 'app=istiod', '-o', 'json'])).stdout)
    expect(pods.items).toHaveLength(1)
    expect(pods.items[0]).toMatchObject({kind: 'Pod', metadata: {namespace: 'istio-system', labels: {app: 'istiod'}}, status: {phase: 'Running'}})
    expect(pods.items[0].status.podIP).toMatch(/^10\.244\./)
  })

  it('reports a missing object like the API server', async () => {
    const r = await run(['get', 'pod', 'nope', '-n', 'default'], {allowFail: true})
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Error from server (NotFound): pods "nope" not found')
  })

  it('auth can-i answers from the playground RBAC (admin yes; limited token no outside its namespace)', async () => {
    expect((await run(['auth', 'can-i', 'get', 'pods', '-n', 'istio-system'])).stdout.trim()).toBe('yes')
    const limited = join(dir, 'limited')
    writeFileSync(limited, emu.kubeconfigYaml({token: emu.limitedToken}))
    const no = await run([`--kubeconfig=${limited}`, 'auth', 'can-i', 'get', 'pods', '-n', 'istio-system'], {allowFail: true})
    expect(no.code).toBe(1)
    expect(no.stdout.trim()).toBe('no')
    const yes = await run([`--kubeconfig=${limited}`, 'auth', 'can-i', 'get', 'pods', '-n', 'default'])
    expect(yes.stdout.trim()).toBe('yes')
    const forbidden = await run([`--kubeconfig=${limited}`, 'get', 'pods', '-n', 'istio-system'], {allowFail: true})
    expect(forbidden.stderr).toContain('Error from server (Forbidden): pods is forbidden: User "aerakictl-playground-limited" cannot list resource "pods" in API group "" in the namespace "istio-system"')
    const cert = join(dir, 'cert')
    writeFileSync(cert, emu.kubeconfigYaml({clientCertUser: 'aerakictl-playground-admin'}))
    expect((await run([`--kubeconfig=${cert}`, 'auth', 'can-i', 'get', 'pods', '-n', 'istio-system'])).stdout.trim()).toBe('yes')
    const wrong = join(dir, 'wrong')
    writeFileSync(wrong, emu.kubeconfigYaml({token: 'wrong-token'}))
    const unauthorized = await run([`--kubeconfig=${wrong}`, 'get', 'pods'], {allowFail: true})
    expect(unauthorized.stderr).toMatch(/You must be logged in to the server \(Unauthorized\)|Unauthorized/)
  })

  // The CRDs the repository has: Aeraki's metaprotocol.aeraki.io schemas (src/lib/validate/crd-schemas.json, from
  // aeraki-mesh/aeraki k8s/crd.yaml), plus Aeraki's RedisService kind (redis.aeraki.io), which the playground does not
  // serve until its CRD is applied.
  it('apply -f of the Aeraki CRDs makes their kinds servable', async () => {
    const crdFile = join(dir, 'crd.yaml')
    writeFileSync(crdFile, repoCrds())
    const r = await run(['apply', '-f', crdFile])
    expect(r.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/redisservices.redis.aeraki.io created')
    expect(r.stdout).toMatch(/customresourcedefinition\.apiextensions\.k8s\.io\/metarouters\.metaprotocol\.aeraki\.io (configured|unchanged)/)
    const none = await run(['get', 'redisservices', '-A'], {allowFail: true})
    expect(none.code).toBe(0)
    expect(none.stderr).toContain('No resources found')
  })

  describe('the Thrift demo', () => {
    let clientPod = ''

    it('apply -f of the upstream manifests (client-side, then again unchanged, and server-side)', async () => {
      await run(['create', 'namespace', 'meta-thrift'])
      await run(['label', 'namespace', 'meta-thrift', 'istio-injection=enabled'])
      const r = await run(['apply', '-n', 'meta-thrift', '-f', join(demoDir, 'thrift-sample.yaml'), '-f', join(demoDir, 'destinationrule.yaml')])
      expect(r.stdout).toContain('deployment.apps/thrift-sample-server-v1 created')
      expect(r.stdout).toContain('service/thrift-sample-server created')
      expect(r.stdout).toContain('destinationrule.networking.istio.io/thrift-sample-server created')
      const again = await run(['apply', '-n', 'meta-thrift', '-f', join(demoDir, 'thrift-sample.yaml')])
      expect(again.stdout).toContain('deployment.apps/thrift-sample-client unchanged')
      const mr = await run(['apply', '--server-side', '-f', join(demoDir, 'metarouter-v1.yaml')])
      expect(mr.stdout).toContain('metarouter.metaprotocol.aeraki.io/test-metaprotocol-thrift-route serverside-applied')
      const drs = (await run(['get', 'dr', '-n', 'meta-thrift'])).stdout.trim().split('\n')
      expect(drs[0].split(/\s+/)).toEqual(['NAME', 'HOST', 'AGE'])
      expect(drs[1].split(/\s+/).slice(0, 2)).toEqual(['thrift-sample-server', 'thrift-sample-server.meta-thrift.svc.cluster.local'])
      const got = JSON.parse((await run(['get', 'metarouters', '-n', 'meta-thrift', '-o', 'json'])).stdout)
      expect(got.items[0].spec.routes[0].route[0].destination.subset).toBe('v1')
      const split = await run(['apply', '-f', join(demoDir, 'traffic-split.yaml')])
      expect(split.stdout).toContain('configured')
      // A client-side re-apply with a changed image goes out as a strategic merge patch and rolls the pods.
      const changed = join(dir, 'thrift-sample-v2image.yaml')
      writeFileSync(changed, readFileSync(join(demoDir, 'thrift-sample.yaml'), 'utf8').replace('image: ghcr.io/aeraki-mesh/thrift-sample-server\n', 'image: ghcr.io/aeraki-mesh/thrift-sample-server:0.2\n'))
      const reapplied = await run(['apply', '-n', 'meta-thrift', '-f', changed])
      expect(reapplied.stdout).toContain('deployment.apps/thrift-sample-server-v1 configured')
      expect(reapplied.stdout).toContain('deployment.apps/thrift-sample-server-v2 unchanged')
      const image = JSON.parse((await run(['get', 'deploy', '-n', 'meta-thrift', 'thrift-sample-server-v1', '-o', 'json'])).stdout).spec.template.spec.containers[0].image
      expect(image).toBe('ghcr.io/aeraki-mesh/thrift-sample-server:0.2')
      const scaled = await run(['scale', '-n', 'meta-thrift', 'deploy/thrift-sample-server-v2', '--replicas=2'])
      expect(scaled.stdout).toContain('deployment.apps/thrift-sample-server-v2 scaled')
    })

    it('get pods shows the demo pods Running with the sidecar (2/2)', async () => {
      const out = await until(async () => {
        const got = (await run(['get', 'pods', '-n', 'meta-thrift', '-l', 'app=thrift-sample-client'])).stdout
        return /2\/2\s+Running/.test(got) && got
      }, 'the client pod 2/2 Running')
      expect(out).toMatch(/thrift-sample-client-\w+-\w{5}\s+2\/2\s+Running\s+0/)
      let servers = ''
      for (let i = 0; i < 200 && (servers.match(/2\/2\s+Running/g) ?? []).length < 3; i++) servers = (await run(['get', 'pods', '-n', 'meta-thrift', '-l', 'app=thrift-sample-server'])).stdout
      expect(servers.match(/thrift-sample-server-v2-\w+-\w{5}\s+2\/2\s+Running/g)).toHaveLength(2)
      clientPod = /(thrift-sample-client-\w+-\w{5})/.exec(out)![1]
    })

    it('logs -f --tail streams the client log in the demo format', async () => {
      const {child, out} = await spawnUntil(['logs', '-f', '--tail=2', '-n', 'meta-thrift', clientPod], (o) => o.split('\n').length > 5)
      child.kill()
      const lines = out().split('\n').filter(Boolean)
      expect(lines.length).toBeGreaterThanOrEqual(5)
      for (const l of lines) expect(l).toMatch(/^Hello Aeraki, response from thrift-sample-server-v[12]-\w+-\w{5}\/10\.244\.\d+\.\d+$/)
      const tail = await run(['logs', '--tail=3', '-n', 'meta-thrift', clientPod, '-c', 'thrift-sample-client'])
      expect(tail.stdout.trim().split('\n')).toHaveLength(3)
    })

    it('exec -- pilot-agent request GET config_dump prints the sidecar config dump', async () => {
      const r = await run(['exec', '-n', 'meta-thrift', clientPod, '-c', 'istio-proxy', '--', 'pilot-agent', 'request', 'GET', 'config_dump'])
      const dump = JSON.parse(r.stdout)
      expect(JSON.stringify(dump)).toContain('outbound|9090|v2|thrift-sample-server.meta-thrift.svc.cluster.local')
      const failing = await run(['exec', '-n', 'meta-thrift', clientPod, '-c', 'istio-proxy', '--', 'sh', '-c', 'exit 3'], {allowFail: true})
      expect(failing.code).toBe(3)
      expect(failing.stderr).toContain('command terminated with exit code 3')
    })

    // kubectl 1.32 tunnels SPDY through a WebSocket by default and falls back to a plain SPDY/3.1 upgrade.
    for (const [mode, env] of [['SPDY over WebSocket', {}], ['plain SPDY', {KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false'}]] as const) {
      it(`port-forward (${mode}) to the admin port serves /config_dump over plain HTTP`, async () => {
        const {child, out} = await spawnUntil(['port-forward', '-n', 'meta-thrift', `pod/${clientPod}`, ':15000', '--address=127.0.0.1'], (o) => /Forwarding from 127\.0\.0\.1:\d+/.test(o), env)
        const port = Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(out())![1])
        const fetchDump = () => new Promise<{status: number; text: string}>((resolve, reject) => {
          get({host: '127.0.0.1', port, path: '/config_dump'}, (res) => {
            let t = ''
            res.on('data', (c) => (t += c))
            res.on('end', () => resolve({status: res.statusCode!, text: t}))
          }).on('error', reject)
        })
        const first = await fetchDump()
        // Three connections at once: one SPDY stream pair each, interleaved on the tunnel.
        const parallel = await Promise.all([fetchDump(), fetchDump(), fetchDump()])
        child.kill()
        expect(first.status).toBe(200)
        expect(JSON.parse(first.text).configs.length).toBeGreaterThan(3)
        for (const p of parallel) expect(JSON.parse(p.text).configs.length).toBe(JSON.parse(first.text).configs.length)
      })
    }

    it('delete ns removes the namespace and its contents', async () => {
      const r = await run(['delete', 'namespace', 'meta-thrift'])
      expect(r.stdout).toContain('namespace "meta-thrift" deleted')
      const gone = await run(['get', 'pods', '-n', 'meta-thrift'], {allowFail: true})
      expect(gone.stdout + gone.stderr).toMatch(/No resources found|not found/)
      const mr = await run(['get', 'metarouters', '-A', '-o', 'name'])
      expect(mr.stdout.trim()).toBe('')
    })
  })
})

function repoCrds(): string {
  const {schemas} = JSON.parse(readFileSync(join(ROOT, 'src/lib/validate/crd-schemas.json'), 'utf8')) as {schemas: Record<string, unknown>}
  const byKind = new Map<string, Array<[string, unknown]>>()
  for (const [key, schema] of Object.entries(schemas)) {
    const [kind, version] = key.split('/')
    byKind.set(kind, [...(byKind.get(kind) ?? []), [version, schema]])
  }
  const crd = (group: string, kind: string, versions: Array<[string, unknown]>) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: {name: `${kind.toLowerCase()}s.${group}`},
    spec: {group, scope: 'Namespaced', names: {kind, listKind: `${kind}List`, plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase()},
      versions: versions.map(([name, openAPIV3Schema], i) => ({name, served: true, storage: i === 0, schema: {openAPIV3Schema}}))},
  })
  const docs = [...byKind].map(([kind, versions]) => crd('metaprotocol.aeraki.io', kind, versions))
  docs.push(crd('redis.aeraki.io', 'RedisService', [['v1alpha1', {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}]]))
  return docs.map((d) => yaml.dump(d, {noRefs: true})).join('---\n')
}
