// `aerakictl apply` against the in-process Kubernetes API emulator, over real sockets, through the built CLI.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {until} from '../support/wait.js'
import {startPlaygroundWithDemo, type Playground, deadKubeconfig} from '../support/playground.js'

let pg: Playground
const T = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const mrs = () => pg.metaRouters('meta-thrift').map((m: any) => ({name: m.metadata.name, routes: m.spec.routes}))

describe('apply', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({speed: 5})
  })
  afterAll(async () => {
    await pg?.close()
  })

  it('-o yaml only renders, without a cluster', async () => {
    const r = await runCli(['apply', 'method-route', '-o', 'yaml', '--kubeconfig', '/nonexistent/kubeconfig'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('kind: MetaRouter')
    expect(r.stdout).toContain(`- ${T}`)
  })

  it('--dry-run client and --dry-run server write nothing', async () => {
    for (const mode of ['client', 'server']) {
      const r = await runCli(['apply', 'method-route', '--kubeconfig', pg.kubeconfig, '--dry-run', mode])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain(`MetaRouter meta-thrift/thrift-sample-server-route created (dry run: ${mode})`)
    }
    expect(mrs()).toEqual([])
  })

  it('seed step 2: apply method-route creates the MetaRouter, predicts v1, and the client log follows', async () => {
    const r = await runCli(['apply', 'method-route', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('MetaRouter meta-thrift/thrift-sample-server-route created (server-side apply)')
    expect(r.stdout).toContain('Prediction method=sayHello → v1 100%')
    expect(mrs()).toEqual([{name: 'thrift-sample-server-route', routes: [{name: 'v1', match: {attributes: {method: {exact: 'sayHello'}}}, route: [{destination: {host: T, subset: 'v1'}}]}]}])
    const mr = pg.metaRouters('meta-thrift')[0]
    expect(mr.metadata.managedFields.map((f: any) => f.manager)).toContain('aerakictl')
    // The demo client's log: every request answered after the apply (plus a second for the change to land) is v1.
    const applied = Date.now() + 1200
    const pods = pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift')
    const client = pods.find((p: any) => p.metadata.name.startsWith('thrift-sample-client-'))!
    const linesAfter = () => pg.emu.state.logs.buffer('meta-thrift', client.metadata!.name!, 'thrift-sample-client').lines.filter(l => l.time.getTime() > applied)
    const after = await until(() => linesAfter().length > 3 && linesAfter(), 'four client log lines after the apply')
    for (const l of after) expect(l.text).toMatch(/response from thrift-sample-server-v1-/)
  })

  it('running it again changes nothing and says so', async () => {
    const r = await runCli(['apply', 'method-route', '--kubeconfig', pg.kubeconfig])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('thrift-sample-server-route unchanged')
  })

  it('seed step 3: traffic-split shows the diff (--diff) and predicts 20/80', async () => {
    const r = await runCli(['apply', 'traffic-split', '--kubeconfig', pg.kubeconfig, '--diff'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('changed: MetaRouter meta-thrift/thrift-sample-server-route')
    expect(r.stdout).toMatch(/^-\s+name: v1$/m)
    expect(r.stdout).toMatch(/^\+\s+weight: 80$/m)
    expect(r.stdout).toContain('Prediction method=sayHello → v1 20% / v2 80%')
    expect(mrs()[0].routes[0].route.map((d: any) => d.weight)).toEqual([20, 80])
  })

  it('an error-level finding stops it before the first write (exit 79), and the cluster is unchanged', async () => {
    const before = JSON.stringify(mrs())
    const r = await runCli(['apply', 'traffic-split', '--kubeconfig', pg.kubeconfig, '--set', 'weights=v1:20,v3:80'])
    expect(r.code).toBe(79)
    expect(r.stderr).toContain('[SUBSET_NOT_IN_DESTINATIONRULE]')
    expect(r.stderr).toContain('nothing was applied')
    expect(JSON.stringify(mrs())).toBe(before)
  })

  it('a 403 names the verb, resource and namespace, and nothing is written', async () => {
    const before = JSON.stringify(mrs())
    const r = await runCli(['apply', 'method-route', '--kubeconfig', pg.limitedKubeconfig])
    expect(r.code).toBe(4)
    // The cluster-wide lists fall back to the user's namespace (default, said on stderr); the MetaRouter lives in
    // meta-thrift, where this user may not even read it: that refusal is named.
    expect(r.stderr).toContain('cannot list metarouters.metaprotocol.aeraki.io in all namespaces; using those in default only.')
    expect(r.stderr).toMatch(/^Error: forbidden: cannot get metarouters\.metaprotocol\.aeraki\.io in meta-thrift \(name "thrift-sample-server-route"/m)
    expect(r.stderr).not.toContain(pg.emu.limitedToken)
    expect(JSON.stringify(mrs())).toBe(before)
  })

  it('an unreachable API names the context and server', async () => {
    const path = deadKubeconfig(pg.dir)
    const r = await runCli(['apply', 'method-route', '--kubeconfig', path])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('context "dead" at https://127.0.0.1:1')
    expect(r.stderr).not.toContain('s3cr3t-token')
  })

  it('masks a Secret\'s data and stringData in the diff as kubectl diff does, old and new (issue 12 §2)', async () => {
    const {mkdtempSync, rmSync, writeFileSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const {join} = await import('node:path')
    const dir = mkdtempSync(join(tmpdir(), 'aerakictl-apply-secret-'))
    try {
      const file = join(dir, 'secret.yaml')
      const secret = (pw: string, token: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: meta-thrift\ntype: Opaque\ndata:\n  password: ${Buffer.from(pw).toString('base64')}\n  user: ${Buffer.from('app').toString('base64')}\nstringData:\n  token: ${token}\n`
      writeFileSync(file, secret('old-pw-planted-1', 'old-token-planted-1'))
      const created = await runCli(['apply', '-f', file, '--kubeconfig', pg.kubeconfig, '--diff'])
      expect(created.code, created.stderr).toBe(0)
      writeFileSync(file, secret('new-pw-planted-2', 'new-token-planted-2'))
      const changed = await runCli(['apply', '-f', file, '--kubeconfig', pg.kubeconfig, '--diff'])
      expect(changed.code, changed.stderr).toBe(0)
      for (const r of [created, changed]) {
        expect(r.stdout + r.stderr).not.toMatch(/planted|b2xkLXB3|bmV3LXB3|YXBw/)
      }
      expect(changed.stdout).toMatch(/^-\s+password: '?\*\*\* \(before\)'?$/m)
      expect(changed.stdout).toMatch(/^\+\s+password: '?\*\*\* \(after\)'?$/m)
      expect(changed.stdout).toContain('Secret meta-thrift/db configured')
      const again = await runCli(['apply', '-f', file, '--kubeconfig', pg.kubeconfig, '--diff'])
      expect(again.stdout + again.stderr).not.toMatch(/planted/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('bad input exits 2', async () => {
    expect((await runCli(['apply', '--kubeconfig', pg.kubeconfig])).code).toBe(2)
    expect((await runCli(['apply', 'no-such-template', '--kubeconfig', pg.kubeconfig])).code).toBe(2)
  })
})

describe('apply on a cluster without Aeraki', () => {
  let bare: Playground
  beforeAll(async () => {
    bare = await startPlaygroundWithDemo({bare: true})
  })
  afterAll(async () => {
    await bare?.close()
  })
  it('says Istio and Aeraki must be installed first', async () => {
    const r = await runCli(['apply', 'method-route', '--kubeconfig', bare.kubeconfig])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('no MetaRouter CRD: install Istio and Aeraki first')
  })
})

describe('every template applies to the playground and predicts what it documents', () => {
  let own: Playground
  beforeAll(async () => {
    own = await startPlaygroundWithDemo({demo: ['thrift', 'dubbo']})
  })
  afterAll(async () => {
    await own?.close()
  })
  // What each template's description promises, as the one-line prediction `apply` prints.
  const expected: Array<[string, string[], RegExp]> = [
    ['method-route', [], /method=sayHello → v1 100%/],
    ['traffic-split', [], /method=sayHello → v1 20% \/ v2 80%/],
    ['header-mutation', ['-n', 'meta-dubbo'], /→ org\.apache\.dubbo\.samples\.basic\.api\.demoservice:20880 100% \(set foo=bar\)/],
    ['local-ratelimit', [], /method=sayHello → thrift-sample-server\.meta-thrift\.svc\.cluster\.local:9090 100%/],
    ['global-ratelimit', ['-n', 'meta-dubbo'], /method=sayHello → org\.apache\.dubbo\.samples\.basic\.api\.demoservice:20880 100%/],
    ['traffic-mirroring', [], /→ v1 100% \(mirror 100% to v2\)/],
    // In meta-dubbo the last MetaRouter (global-ratelimit) has no routes, so the default route takes the hash policy.
    ['consistent-hash', ['-n', 'meta-dubbo'], /→ org\.apache\.dubbo\.samples\.basic\.api\.demoservice:20880 100% \(hash on method\)/],
  ]
  for (const [template, args, prediction] of expected) {
    it(template, async () => {
      const r = await runCli(['apply', template, ...args, '--kubeconfig', own.kubeconfig])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/ (created|configured) \(server-side apply\)/)
      expect(r.stdout).toMatch(prediction)
    })
  }
})
