// Issue 12 §6: a hung API server. The fault proxy holds chosen requests forever (never answered), so a command that
// waited for them would hang until the per-request timeout (30 s) or beyond: these tests end long before that only
// if --timeout and Ctrl-C act on requests in flight. Each test's own timeout (20 s) is a failure bound, not a measure.
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {spawnCli} from '../lib/logs/spawn-cli.js'

let pg: Playground
let proxy: FaultProxy
let kubeconfig: string
const BOUND = 20_000

describe('a hung API server', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({demo: [], podStartDelayMs: 600_000}) // pods never start during the test
    proxy = await startFaultProxy(pg.emu)
    kubeconfig = proxy.writeKubeconfig(join(pg.dir, 'proxy.kubeconfig'), 'default')
  })
  beforeEach(() => {
    proxy.rules.stall = undefined
    proxy.stalled = 0
  })
  afterAll(async () => {
    await proxy?.close()
    await pg?.close()
  })

  it('install --timeout 2s while every look at the rollout hangs: the ✔/✘ report at the timeout, exit 3', async () => {
    proxy.rules.stall = /^GET \/apis\/apps\/v1\/namespaces\/meta-thrift\/deployments(\?|$)/ // lists and watches, not the reads of one object
    const r = await runCli(['install', 'demo', 'thrift', '--kubeconfig', kubeconfig, '--timeout', '2s'])
    expect(r.code, r.stderr).toBe(3)
    expect(proxy.stalled).toBeGreaterThan(0)
    expect(r.stdout).toContain('✘ Not ready after 2s (--timeout): 4 of 4 Deployments not available (see above)')
    expect(r.stdout).toMatch(/Deployment thrift-sample-server-v1: 0\/1 available\n {6}the API did not answer the last look within --timeout/)
  }, BOUND)

  it('Ctrl-C during install preflight against a hung API: exits 130 at once with the report, no stack', async () => {
    proxy.rules.stall = /^GET \/version/
    const cli = spawnCli(['install', 'demo', 'thrift', '--kubeconfig', kubeconfig])
    await until(() => proxy.stalled > 0, 'install to ask the hung API for its version')
    cli.interrupt()
    const exit = await cli.exited
    expect(exit.code, cli.stderr()).toBe(130)
    expect(cli.stdout()).toContain('✘ Interrupted (Ctrl-C): applied 0 of 9 objects; not applied: 9.')
    expect(cli.stderr()).not.toMatch(/\n\s+at /)
  }, BOUND)

  it('Ctrl-C during apply while the API hangs on a read: exits 130, says nothing was applied', async () => {
    proxy.rules.stall = /^GET \/apis\/metaprotocol\.aeraki\.io\/v1alpha1\/metarouters/
    const cli = spawnCli(['apply', 'method-route', '--kubeconfig', kubeconfig])
    await until(() => proxy.stalled > 0, 'apply to list MetaRouters at the hung API')
    cli.interrupt()
    const exit = await cli.exited
    expect(exit.code, cli.stderr()).toBe(130)
    expect(cli.stderr()).toMatch(/^Error: interrupted while trying to list metarouters.*: nothing was applied$/m)
    expect(cli.stderr()).not.toMatch(/\n\s+at /)
  }, BOUND)

  it('Ctrl-C during app-log -f while the API hangs on the pod list: exits 130 at once, no stack', async () => {
    proxy.rules.stall = /^GET \/api\/v1\/namespaces\/meta-thrift\/pods/
    const cli = spawnCli(['app-log', 'client', 'meta-thrift', '-f', '--kubeconfig', kubeconfig])
    await until(() => proxy.stalled > 0, 'app-log to list pods at the hung API')
    cli.interrupt()
    const exit = await cli.exited
    expect(exit.code, cli.stderr()).toBe(130)
    expect(cli.stderr()).not.toMatch(/\n\s+at /)
  }, BOUND)

  it('--request-timeout 1 against a hung API: sidecar-config gives up after it with a timeout error, exit 4', async () => {
    proxy.rules.stall = /^GET \/api\/v1\/namespaces\/meta-thrift\/pods/
    const r = await runCli(['sidecar-config', 'client', 'meta-thrift', '--kubeconfig', kubeconfig, '--request-timeout', '1'])
    expect(r.code, r.stderr).toBe(4)
    expect(r.stderr).toMatch(/no answer within 1s from the Kubernetes API of context "fault-proxy"/)
  }, BOUND)
})
