// Issue 12 §6: `app-log -f` while the API server goes away. Through the fault proxy: the API down (every
// connection reset) is retried with exponential backoff and announced once per cause, and the stream resumes when
// the API is back; credentials no longer accepted (401 on everything) end the session at once with one clear
// message and exit 4 instead of retrying forever; so does an API server restarted with a new CA (TLS trust fails).
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {spawnCli} from '../lib/logs/spawn-cli.js'

let pg: Playground
let proxy: FaultProxy
let kubeconfig: string
const lineCount = (text: string) => text.split('\n').filter(Boolean).length
const count = (text: string, needle: string) => text.split(needle).length - 1

describe('app-log -f when the API goes away', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({speed: 20})
    const pods = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift')
    await until(() => pods().filter((p: any) => p.status?.phase === 'Running').length >= 4, 'the four demo pods Running')
    proxy = await startFaultProxy(pg.emu)
    kubeconfig = proxy.writeKubeconfig(join(pg.dir, 'proxy.kubeconfig'), 'meta-thrift')
  })
  afterAll(async () => {
    await proxy?.close()
    await pg?.close()
  })

  it('the API down: retries with backoff, one message per cause, and resumes when it is back', async () => {
    proxy.rules.down = false
    const cli = spawnCli(['app-log', 'client', 'meta-thrift', '-f', '--tail', '0', '--kubeconfig', kubeconfig])
    try {
      await cli.waitFor(() => lineCount(cli.stdout()) >= 3)
      proxy.rules.down = true
      proxy.refused = 0
      proxy.dropConnections()
      // Enough refused attempts that a retry loop without memory would have said it each time.
      await until(() => proxy.refused >= 6, 'six attempts refused by the API that is down')
      const err = cli.stderr()
      expect(err).toMatch(/retrying with backoff \(up to every 10s\)/)
      const retryNotes = err.split('\n').filter(l => l.includes('retrying with backoff'))
      // One note per cause and per stream/watch, not one per attempt.
      expect(new Set(retryNotes).size).toBe(retryNotes.length)
      expect(retryNotes.length).toBeLessThan(proxy.refused)
      const before = lineCount(cli.stdout())
      proxy.rules.down = false
      await cli.waitFor(() => lineCount(cli.stdout()) >= before + 3)
    } finally {
      proxy.rules.down = false
      cli.interrupt()
      await cli.exited
    }
  }, 60_000)

  it('credentials no longer accepted (401 everywhere): stops at once with one clear message, exit 4', async () => {
    const cli = spawnCli(['app-log', 'client', 'meta-thrift', '-f', '--tail', '0', '--kubeconfig', kubeconfig])
    try {
      await cli.waitFor(() => lineCount(cli.stdout()) >= 3)
      proxy.rules.answerAll = 401
      proxy.dropConnections()
      const exit = await cli.exited
      expect(exit.code, cli.stderr()).toBe(4)
      const err = cli.stderr()
      expect(err).toMatch(/^Error: the Kubernetes API of context "fault-proxy" at https:\/\/127\.0\.0\.1:\d+ rejected the credentials of user "fault-proxy" \(401 Unauthorized\)/m)
      expect(count(err, 'rejected the credentials')).toBe(1)
      expect(err).not.toContain('retrying')
    } finally {
      proxy.rules.answerAll = undefined
      if (!(await Promise.race([cli.exited.then(() => true), Promise.resolve(false)]))) cli.interrupt()
    }
  }, 30_000)

  it('the API restarted with a new CA: the TLS failure ends the session at once with one message naming the CA, exit 4', async () => {
    const cli = spawnCli(['app-log', 'client', 'meta-thrift', '-f', '--tail', '0', '--kubeconfig', kubeconfig])
    try {
      await cli.waitFor(() => lineCount(cli.stdout()) >= 3)
      proxy.replaceCa()
      proxy.dropConnections()
      const exit = await cli.exited
      expect(exit.code, cli.stderr()).toBe(4)
      const err = cli.stderr()
      expect(err).toMatch(/^Error: TLS handshake with the Kubernetes API of context "fault-proxy" at https:\/\/127\.0\.0\.1:\d+ failed: .*; check certificate-authority\(-data\) of the cluster in your kubeconfig/m)
      expect(count(err, 'TLS handshake')).toBe(1)
      expect(err).not.toContain('retrying')
    } finally {
      if (!(await Promise.race([cli.exited.then(() => true), Promise.resolve(false)]))) cli.interrupt()
    }
  }, 30_000)
})
