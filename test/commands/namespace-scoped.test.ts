// Issue 12 §6: a user with full rights in meta-thrift only (the emulator's limited token, RBAC as the API server
// answers it: 403 on every cluster-wide list and on cluster-scoped kinds). Commands read at namespace scope, say
// what they could not read, and go on.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'

let pg: Playground
let limited: string
const FALLBACK = 'cannot list metarouters.metaprotocol.aeraki.io in all namespaces; using those in meta-thrift only.'
const NO_APPLICATION_PROTOCOLS = 'cannot list applicationprotocols.metaprotocol.aeraki.io (cluster-scoped; forbidden for this user); treated as none.'

describe('a user allowed in one namespace only', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({limitedNamespaces: ['meta-thrift']})
    limited = join(pg.dir, 'meta-thrift-only.kubeconfig')
    writeFileSync(limited, pg.emu.kubeconfigYaml({token: pg.emu.limitedToken, namespace: 'meta-thrift'}))
  })
  afterAll(async () => {
    await pg?.close()
  })

  it('control: the admin reads all namespaces, so no such note', async () => {
    const r = await runCli(['route', 'analyze', '--from-cluster', '-n', 'meta-thrift', '--kubeconfig', pg.kubeconfig, '-o', 'json'])
    expect([0, 79], r.stderr).toContain(r.code)
    expect(r.stderr).not.toContain('cannot list')
  })

  it('apply -n meta-thrift reads at namespace scope, says so, and applies', async () => {
    const r = await runCli(['apply', 'method-route', '-n', 'meta-thrift', '--kubeconfig', limited])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('MetaRouter meta-thrift/thrift-sample-server-route created (server-side apply)')
    expect(r.stderr).toContain(FALLBACK)
    expect(r.stderr).toContain(NO_APPLICATION_PROTOCOLS)
    expect(pg.metaRouters('meta-thrift').map((m: any) => m.metadata.name)).toEqual(['thrift-sample-server-route'])
  })

  it('route analyze --from-cluster -n meta-thrift analyzes what it may read', async () => {
    const r = await runCli(['route', 'analyze', '--from-cluster', '-n', 'meta-thrift', '--kubeconfig', limited, '-o', 'json'])
    expect([0, 79], r.stderr).toContain(r.code)
    expect(r.stderr).toContain(FALLBACK)
    expect(r.stderr).not.toMatch(/forbidden: cannot/)
    JSON.parse(r.stdout)
  })

  it('route dry-run --from-cluster predicts from the namespace it may read', async () => {
    const r = await runCli(['route', 'dry-run', '--from-cluster', '--kubeconfig', limited, '--host', 'thrift-sample-server.meta-thrift.svc.cluster.local', '--attr', 'method=sayHello'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(FALLBACK)
    expect(r.stdout).toMatch(/v1/)
  })

  it('route verify reads the routing kinds in its namespace and does not stop at ApplicationProtocols', async () => {
    const r = await runCli(['route', 'verify', 'client', '-n', 'meta-thrift', '--kubeconfig', limited, '-o', 'json'])
    expect([0, 3], r.stderr).toContain(r.code)
    expect(r.stderr).not.toMatch(/forbidden: cannot list applicationprotocols/)
    JSON.parse(r.stdout)
  })
})
