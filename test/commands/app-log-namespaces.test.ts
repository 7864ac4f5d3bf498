// app-log across namespaces as stern does it: -A (every namespace) and several -n (repeated or a,b), lines and
// events carrying their namespace, pods that appear in any of them followed; and the combinations that need one
// namespace (--tally, deploy/NAME) refused as usage errors. Against the playground with both demos.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {spawnCli} from '../lib/logs/spawn-cli.js'

let pg: Playground
const parse = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l))

describe('app-log -A and several -n', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({speed: 10, demo: ['thrift', 'dubbo']})
    const pods = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'))
    const running = (ns: string) => pods().filter((p: any) => p.metadata.namespace === ns && p.status?.phase === 'Running').length
    await until(() => running('meta-thrift') >= 4 && running('meta-dubbo') >= 4 && running('istio-system') >= 3, 'both demos and istio-system Running', 60_000)
  }, 90_000)
  afterAll(async () => { await pg?.close() })

  it('-A finds the app in every namespace and puts the namespace in front of each line, as stern does', async () => {
    const r = await runCli(['app-log', 'istio-ingressgateway', '-A', '--tail', '1', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^istio-system istio-ingressgateway-\S+ .*Envoy proxy is ready\n$/)
    const servers = await runCli(['app-log', 'sample', '-A', '--sidecar', '--tail', '1', '-o', 'json', '--kubeconfig', pg.kubeconfig])
    expect(servers.code, servers.stderr).toBe(0)
    const lines = parse(servers.stdout)
    expect(new Set(lines.map((l) => l.namespace))).toEqual(new Set(['meta-thrift', 'meta-dubbo']))
    for (const l of lines) expect(l.container).toBe('istio-proxy')
    // In namespace order, then pod order.
    const order = lines.map((l) => `${l.namespace}/${l.pod}`)
    expect(order).toEqual([...order].sort())
  })

  it('takes -n more than once or as a,b, and only those namespaces', async () => {
    const repeated = await runCli(['app-log', '-l', 'app', '-n', 'meta-thrift', '-n', 'meta-dubbo', '--tail', '1', '-o', 'json', '--kubeconfig', pg.kubeconfig])
    expect(repeated.code, repeated.stderr).toBe(0)
    const byNs = (stdout: string) => [...new Set(parse(stdout).map((l) => l.namespace))].sort()
    expect(byNs(repeated.stdout)).toEqual(['meta-dubbo', 'meta-thrift'])
    const comma = await runCli(['app-log', '-l', 'app', '-n', 'meta-thrift,meta-dubbo', '--tail', '1', '-o', 'json', '--kubeconfig', pg.kubeconfig])
    expect(comma.code, comma.stderr).toBe(0)
    expect(byNs(comma.stdout)).toEqual(['meta-dubbo', 'meta-thrift'])
    expect(parse(comma.stdout).map((l) => l.pod).sort()).toEqual(parse(repeated.stdout).map((l) => l.pod).sort())
    // One -n is one namespace: no namespace prefix, as before.
    const one = await runCli(['app-log', 'client', '-n', 'meta-thrift', '--tail', '1', '--kubeconfig', pg.kubeconfig])
    expect(one.code, one.stderr).toBe(0)
    expect(one.stdout).toMatch(/^thrift-sample-client-\S+ /)
  })

  it('follows with -A: streams in both namespaces, and a pod that replaces another (restart) is picked up', async () => {
    const cli = spawnCli(['app-log', '-A', '-l', 'app', '-f', '--tail', '0', '--kubeconfig', pg.kubeconfig])
    try {
      // Generous bounds (conditions, not sleeps): on a loaded machine the first lines of both demos once took over 20 s.
      await cli.waitFor(() => /^\+ meta-thrift › thrift-sample-client-\S+ › thrift-sample-client$/m.test(cli.stderr()) && /^\+ meta-dubbo › dubbo-sample-consumer-\S+ › dubbo-sample-consumer$/m.test(cli.stderr()), 60_000)
      await cli.waitFor(() => /^meta-dubbo dubbo-sample-consumer-\S+ .*response from dubbo-sample-provider/m.test(cli.stdout()) && /^meta-thrift thrift-sample-client-\S+ .*response from thrift-sample-server/m.test(cli.stdout()), 60_000)
      const before = /^\+ meta-thrift › (thrift-sample-client-\S+) ›/m.exec(cli.stderr())![1]
      const restarted = await runCli(['restart', 'client', 'meta-thrift', '--yes', '--kubeconfig', pg.kubeconfig])
      expect(restarted.code, restarted.stderr).toBe(0)
      await cli.waitFor(() => new RegExp(`^- meta-thrift › ${before} › thrift-sample-client$`, 'm').test(cli.stderr()), 60_000)
      await cli.waitFor(() => [...cli.stderr().matchAll(/^\+ meta-thrift › (thrift-sample-client-\S+) ›/gm)].some((m) => m[1] !== before), 60_000)
      // Bounded. This case held its test to the 300 s timeout twice under load: Ctrl-C right after the "+" of the new
      // pod stopped its stream while the request was still on its way, and the stream answered afterwards was kept
      // open for ever (test/lib/logs/session.test.ts "Ctrl-C while a log stream is still being opened").
      expect(await cli.interruptAndWait()).toEqual({code: 130, signal: null})
    } finally {
      cli.interrupt()
    }
  }, 300_000)

  it('refuses what needs one namespace, and says where it looked when nothing matches', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['client', '-A', '--tally'], /^Error: --tally: counts the answers of one demo client: give one namespace \(not -A\)$/m],
      [['client', '-n', 'meta-thrift', '-n', 'meta-dubbo', '--tally'], /^Error: --tally: counts the answers of one demo client: give one namespace \(not several -n\)$/m],
      [['deploy/thrift-sample-client', '-A'], /^Error: APP: deploy\/thrift-sample-client names an object of one namespace: give one -n/m],
      [['client', 'meta-thrift', '-A'], /^Error: --all-namespaces: reads every namespace: leave out -n and the NAMESPACE argument$/m],
      [['client', 'default', '-n', 'meta-thrift', '-n', 'meta-dubbo'], /^Error: NAMESPACE: the NAMESPACE argument "default" is not among -n meta-thrift,meta-dubbo/m],
      [['client', '-n', 'meta-thrift', '-n', 'Bad_NS'], /^Error: --namespace: "Bad_NS" is not a namespace name$/m],
    ]
    for (const [args, message] of cases) {
      const r = await runCli(['app-log', ...args, '--kubeconfig', pg.kubeconfig])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr, args.join(' ')).toMatch(message)
    }
    const none = await runCli(['app-log', 'nosuch', '-n', 'meta-thrift', '-n', 'meta-dubbo', '--kubeconfig', pg.kubeconfig])
    expect(none.code).toBe(4)
    expect(none.stderr).toMatch(/^Error: no pod in namespaces meta-thrift, meta-dubbo matches "nosuch" .*; pods there: meta-dubbo\/dubbo-sample-consumer-/m)
  })
})
