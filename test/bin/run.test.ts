// bin/run.js runs the bundle the build makes (dist/bundle/*.cjs): the same commands, the same output, with and
// without its code cache, including cluster commands, which load client-node's core bundle, and the whole package only
// for the commands that need its generated API.
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runBin} from '../support/cli.js'
import {startFaultProxy} from '../support/fault-proxy.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
let dir: string
let pg: Playground

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-bin-'))
  pg = await startPlaygroundWithDemo()
})

afterAll(async () => {
  await pg?.close()
  rmSync(dir, {recursive: true, force: true})
})

/** bin/run.js against the playground, with its code caches under `cacheHome`; it must exit 0. */
async function bin(args: string[], cacheHome: string, o: {env?: Record<string, string>; killAfterMs?: number} = {}) {
  const r = await runBin(args, {env: {NO_COLOR: '1', XDG_CACHE_HOME: cacheHome, KUBECONFIG: pg.kubeconfig, ...o.env}, killAfterMs: o.killAfterMs})
  expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0)
  return r
}

const cli = async (args: string[], cacheHome: string) => (await bin(args, cacheHome)).stdout

describe('bin/run.js', () => {
  it('the build produced the three bundles', () => {
    for (const b of ['aerakictl', 'client-node-core', 'client-node']) expect(existsSync(join(ROOT, `dist/bundle/${b}.cjs`)), b).toBe(true)
  })

  it('prints the same dry-run with a cold and a warm code cache, and keeps the cache per Node version', async () => {
    const home = join(dir, 'cache-dry-run')
    const cold = await cli(['route', 'dry-run', '--template', 'traffic-split', '--random-value', '19', '-o', 'json'], home)
    const warm = await cli(['route', 'dry-run', '--template', 'traffic-split', '--random-value', '19', '-o', 'json'], home)
    expect(JSON.parse(cold).selectedCluster).toBe('outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local')
    expect(warm).toBe(cold)
    expect(readdirSync(join(home, 'aerakictl', process.version)).some((f) => f.startsWith('aerakictl-'))).toBe(true)
  })

  // Which bundles a run loaded, from the code caches it wrote (one per bundle, named after it).
  const bundlesLoaded = (home: string) => new Set(readdirSync(join(home, 'aerakictl', process.version)).filter((f) => f.endsWith('.v8cache')).map((f) => f.replace(/-[0-9a-f]{8}-\d+-\d+\.v8cache$/, '')))

  it('runs the commands that read a cluster through client-node\'s core bundle alone, without its generated models', async () => {
    const runs: Array<[string, string[], (out: string) => void]> = [
      ['analyze', ['route', 'analyze', '--from-cluster', '-n', 'meta-thrift', '-o', 'json'], (out) => expect(JSON.parse(out)).toHaveProperty('findings')],
      ['sidecar-config', ['sidecar-config', 'client', 'meta-thrift', '-o', 'json'], (out) => expect(JSON.parse(out).configs.length).toBeGreaterThan(3)],
      ['app-log', ['app-log', 'deploy/thrift-sample-client', '-n', 'meta-thrift', '--tail', '1'], (out) => expect(out).toMatch(/^thrift-sample-client-\S+ .*response from thrift-sample-server/)],
    ]
    for (const [name, args, check] of runs) {
      const home = join(dir, `cache-${name}`)
      check(await cli(args, home))
      expect(bundlesLoaded(home), name).toEqual(new Set(['aerakictl', 'client-node-core']))
    }
  })

  it('takes every module of dry-run, analyze, sidecar-config, app-log and help from the bundles, none from node_modules', async () => {
    // A module required from node_modules is resolved, read and compiled without the code cache at every start:
    // route analyze once loaded a second copy of js-yaml that way (25 files, ~19 ms) to read the rate limit ConfigMap.
    const preload = join(dir, 'required.cjs')
    writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(process.env.REQUIRED_OUT, JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('node_modules')))))`)
    const runs: Array<[string, string[]]> = [
      ['dry-run', ['route', 'dry-run']],
      ['analyze', ['route', 'analyze', '--from-cluster', '-n', 'meta-thrift']],
      ['sidecar-config', ['sidecar-config', 'client', 'meta-thrift', '-o', 'json']],
      ['app-log', ['app-log', 'client', 'meta-thrift', '--tail', '1']],
      // oclif loads package.json's helpClass (src/lib/cli/help.ts) itself; the bundle hands it the bundled one
      ['root help', ['--help']],
      ['command help', ['route', 'analyze', '--help']],
    ]
    const outputs = new Map<string, string>()
    for (const [name, args] of runs) {
      const out = join(dir, `required-${name}.json`)
      const r = await bin(args, join(dir, 'cache-required'), {env: {NODE_OPTIONS: `-r ${preload}`, REQUIRED_OUT: out}})
      outputs.set(name, r.stdout)
      expect(JSON.parse(readFileSync(out, 'utf8')), name).toEqual([])
    }
    // the project's help class is the one in use: its exit-code tables close both helps
    expect(outputs.get('root help')).toMatch(/EXIT CODES\n[\s\S]*130 /)
    expect(outputs.get('command help')).toMatch(/EXIT CODES\n[\s\S]*79 +findings reached --failure-threshold/)
  })

  it('ends once its output is written, also when the server never answers the close of the exec stream', async () => {
    // The command is done when the status frame arrives. Before, the process then waited for the WebSocket's close
    // handshake, which ws gives up on after 30 s (this test kills it at 30 s, which fails it).
    const proxy = await startFaultProxy(pg.emu, {refusePortForward: true, pilotAgentIgnoresClose: true,
      pilotAgentOutput: readFileSync(join(ROOT, 'test/fixtures/config-dumps/thrift-client-config-dump.json'), 'utf8')})
    try {
      const kubeconfig = proxy.writeKubeconfig(join(dir, 'ignores-close.kubeconfig'), 'meta-thrift')
      const r = await bin(['sidecar-config', 'client', 'meta-thrift', '-o', 'json', '--kubeconfig', kubeconfig], join(dir, 'cache-ignores-close'), {killAfterMs: 30_000})
      expect(r.stderr).toMatch(/via exec pilot-agent/)
      expect(JSON.parse(r.stdout).configs.length).toBeGreaterThan(3)
    } finally {
      await proxy.close()
    }
  }, 60_000)

  it('loads the whole of client-node for a command that writes with its generated API (restart)', async () => {
    const home = join(dir, 'cache-restart')
    expect(await cli(['restart', 'client', 'meta-thrift'], home)).toMatch(/^deployment\.apps\/thrift-sample-client restarted/)
    expect(bundlesLoaded(home)).toEqual(new Set(['aerakictl', 'client-node-core', 'client-node']))
  })

  it('loads debug only when DEBUG is set, and then oclif\'s debug lines come out as before', async () => {
    const run = (env: Record<string, string>) => bin(['route', 'dry-run', '-o', 'json'], join(dir, 'cache-debug'), {env})
    const withDebug = await run({DEBUG: 'oclif:config*'})
    expect(withDebug.stderr).toMatch(/oclif:config loading core plugin from /)
    const without = await run({DEBUG: ''})
    expect(without.stderr).toBe('')
    expect(JSON.parse(without.stdout)).toEqual(JSON.parse(withDebug.stdout))
  })

  it('shows help for a topic without running a command', async () => {
    const out = await cli(['route', '--help'], join(dir, 'cache-help'))
    expect(out).toContain('dry-run')
    expect(out).toContain('analyze')
  })
})
