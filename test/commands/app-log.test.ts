// `aerakictl app-log` through the built CLI against the playground emulator over real sockets: prefixes, colour
// rules, errors and exit codes, and the seed tutorial's three log views with the tally in one -f session.
import {execFile} from 'node:child_process'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ANSI, BIN, ROOT, runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {startForbidLogsProxy} from '../lib/logs/forbid-logs-proxy.js'
import {until} from '../support/wait.js'
import {spawnCli} from '../lib/logs/spawn-cli.js'

let pg: Playground
const SERVER_POD = /^thrift-sample-server-(v[12])-[a-z0-9]+-[a-z0-9]{5}$/

describe('app-log', () => {
  beforeAll(async () => {
    // Fast demo clients: about 100 requests a second, so the tally has enough answers within seconds.
    pg = await startPlaygroundWithDemo({speed: 100})
    const pods = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift')
    await until(() => pods().filter((p: any) => p.status?.phase === 'Running').length >= 4, 'the four demo pods Running')
  })
  afterAll(async () => {
    await pg?.close()
  })

  it('tails every matching pod with its name in front, piped without escape codes', async () => {
    const r = await runCli(['app-log', 'thrift-sample-server', 'meta-thrift', '--sidecar', '--tail', '1', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.split('\n').filter(Boolean)
    expect(lines).toHaveLength(2)
    expect(lines.map((l) => SERVER_POD.exec(l.split(' ')[0])?.[1])).toEqual(['v1', 'v2'])
    expect(lines.every((l) => l.endsWith('Envoy proxy is ready'))).toBe(true)
    expect(r.stdout).not.toMatch(ANSI)
    expect(r.stderr).not.toMatch(ANSI)
  })

  it('colours pods with FORCE_COLOR, never with NO_COLOR', async () => {
    const args = ['app-log', 'thrift-sample-server', 'meta-thrift', '--sidecar', '--tail', '1', '--kubeconfig', pg.kubeconfig]
    const forced = await runCli(args, {env: {FORCE_COLOR: '1'}})
    expect(forced.stdout).toMatch(ANSI)
    const both = await runCli(args, {env: {FORCE_COLOR: '1', NO_COLOR: '1'}})
    expect(both.code).toBe(0)
    expect(both.stdout).not.toMatch(ANSI)
    expect(both.stdout.split('\n').filter(Boolean)).toHaveLength(2)
  })

  it('on a terminal colours pods, and NO_COLOR turns that off', async () => {
    const onTty = (env: Record<string, string>) => new Promise<string>((resolve, reject) => {
      const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} app-log thrift-sample-server meta-thrift --sidecar --tail 1 --kubeconfig ${JSON.stringify(pg.kubeconfig)}`
      const merged = {...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, TERM: 'xterm-256color', ...env} as NodeJS.ProcessEnv
      for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k]
      execFile('script', ['-qfec', cmd, '/dev/null'], {cwd: ROOT, env: merged}, (err, stdout) => (err ? reject(err) : resolve(String(stdout))))
    })
    expect(await onTty({})).toMatch(ANSI)
    const plain = await onTty({NO_COLOR: '1'})
    expect(plain).toContain('Envoy proxy is ready')
    expect(plain).not.toMatch(ANSI)
  })

  it('takes deploy/NAME and svc/NAME as stern does: the pods their selector picks', async () => {
    const deploy = await runCli(['app-log', 'deploy/thrift-sample-server-v2', 'meta-thrift', '--sidecar', '--tail', '1', '--kubeconfig', pg.kubeconfig])
    expect(deploy.code, deploy.stderr).toBe(0)
    expect(deploy.stdout.split('\n').filter(Boolean).map((l) => SERVER_POD.exec(l.split(' ')[0])?.[1])).toEqual(['v2'])
    const svc = await runCli(['app-log', 'svc/thrift-sample-server', 'meta-thrift', '--sidecar', '--tail', '1', '--kubeconfig', pg.kubeconfig])
    expect(svc.stdout.split('\n').filter(Boolean).map((l) => SERVER_POD.exec(l.split(' ')[0])?.[1])).toEqual(['v1', 'v2'])
    const missing = await runCli(['app-log', 'deploy/nope', 'meta-thrift', '--kubeconfig', pg.kubeconfig])
    expect(missing.code).toBe(4)
    expect(missing.stderr).toBe('Error: deployments.apps "nope" not found in namespace meta-thrift\n')
  })

  it('a wrong container name exits 4 listing the containers', async () => {
    const r = await runCli(['app-log', 'client', 'meta-thrift', '-c', 'nope', '--kubeconfig', pg.kubeconfig])
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/^Error: no container "nope" in the matching pods in namespace meta-thrift: thrift-sample-client-\S+ has thrift-sample-client, istio-proxy\. Pick one with -c\n$/)
  })

  it('a 403 on pods/log exits 4 and names the namespace', async () => {
    const proxy = await startForbidLogsProxy(pg.emu, 'meta-thrift')
    try {
      const r = await runCli(['app-log', 'client', '-f', '--kubeconfig', proxy.kubeconfig])
      expect(r.code).toBe(4)
      expect(r.stderr).toMatch(/Error: forbidden: cannot get pods\/log in meta-thrift \(name "thrift-sample-client-/)
    } finally {
      await proxy.close()
    }
  })

  it('bad flags exit 2 naming the flag', async () => {
    const since = await runCli(['app-log', 'client', 'meta-thrift', '--since', 'ten minutes', '--kubeconfig', pg.kubeconfig])
    expect(since.code).toBe(2)
    expect(since.stderr).toBe('Error: --since: "ten minutes" is not a duration such as 30s, 10m or 1h30m\n')
    const none = await runCli(['app-log', '--kubeconfig', pg.kubeconfig])
    expect(none.code).toBe(2)
  })

  it('seed scenario in one -f session: both versions, then only v1 after method-route, then a tally consistent with 20/80', async () => {
    const cli = spawnCli(['app-log', 'client', 'meta-thrift', '-f', '--tail', '0', '--tally', '-o', 'json', '--kubeconfig', pg.kubeconfig])
    const lines = () => cli.stdout().split('\n').filter(Boolean).length
    await cli.waitFor(() => lines() >= 60)
    const applied = async (template: string, route: string) => {
      const r = await runCli(['apply', template, '--kubeconfig', pg.kubeconfig])
      expect(r.code, r.stderr).toBe(0)
      await cli.waitFor(() => cli.stderr().includes(`configuration changed (now MetaRouter meta-thrift/thrift-sample-server-route, route ${route})`))
    }
    // Lines written in the second of a change (managedFields times have second granularity) and those arriving in
    // the tally's settle time (1 s) are counted in no segment, and those after the next change's watch event less
    // its slack are taken back: wait for lines written after that second, enough to leave > 50 counted.
    const after = (n: number) => {
      const changed = Math.max(...pg.metaRouters('meta-thrift')[0].metadata.managedFields.map((f: any) => Date.parse(f.time)))
      const from = (Math.floor(changed / 1000) + 1) * 1000
      return () => cli.stdout().split('\n').filter((l) => l.startsWith('{"pod"')).filter((l) => Date.parse(JSON.parse(l).timestamp) >= from).length >= n
    }
    await applied('method-route', 'v1')
    await cli.waitFor(after(300))
    await applied('traffic-split', 'traffic-split')
    await cli.waitFor(after(400))
    cli.interrupt()
    expect(await cli.exited).toEqual({code: 130, signal: null}) // Ctrl-C: 130, after the tally

    const out = cli.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l))
    const {tally} = out.pop()
    for (const o of out) expect(Object.keys(o)).toEqual(['pod', 'container', 'namespace', 'timestamp', 'message'])
    const [none, methodRoute] = tally.previous
    // 1. No MetaRouter: both versions answer, as configured (round-robin over the two pods).
    expect(none.configured).toMatchObject({metaRouter: null, versions: {v1: 0.5, v2: 0.5}})
    expect(none.observed.versions.v1.count).toBeGreaterThan(0)
    expect(none.observed.versions.v2.count).toBeGreaterThan(0)
    // 2. method-route: only v1.
    expect(methodRoute.configured).toMatchObject({metaRouter: 'meta-thrift/thrift-sample-server-route', route: 'v1', versions: {v1: 1}})
    expect(Object.keys(methodRoute.observed.versions)).toEqual(['v1'])
    expect(methodRoute.observed.n).toBeGreaterThan(50)
    expect(methodRoute.test.verdict).toBe('consistent')
    // 3. traffic-split 20/80, and a goodness-of-fit test that accepts it (false alarms: 0.1% by construction).
    expect(tally.configured).toMatchObject({route: 'traffic-split', versions: {v1: 0.2, v2: 0.8}})
    expect(tally.observed.n).toBeGreaterThan(300)
    expect(tally.test.verdict).toBe('consistent')
    expect(tally.observed.versions.v2.share).toBeGreaterThan(0.7)
    expect(tally.text).toMatch(/^v1 \d+% \/ v2 \d+% observed, 20\/80 configured, consistent \(p=\d\.\d+, n=\d+\)$/)
    // The same, for people, on stderr.
    expect(cli.stderr()).toMatch(/tally for method=sayHello to thrift-sample-server\.meta-thrift\.svc\.cluster\.local from \S+: v1 \d+% \/ v2 \d+% observed, 20\/80 configured, consistent/)
  }, 60_000)
})
