// bin/run.js runs the bundle the build makes (dist/bundle/*.cjs): the same commands, the same output, with and
// without its code cache, including a cluster command, which loads client-node's own bundle.
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin/run.js')
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

async function cli(args: string[], cacheHome: string) {
  const r = await promisify(execFile)(process.execPath, [BIN, ...args], {env: {...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome, KUBECONFIG: pg.kubeconfig}})
  return r.stdout
}

describe('bin/run.js', () => {
  it('the build produced both bundles', () => {
    expect(existsSync(join(ROOT, 'dist/bundle/aerakictl.cjs'))).toBe(true)
    expect(existsSync(join(ROOT, 'dist/bundle/client-node.cjs'))).toBe(true)
  })

  it('prints the same dry-run with a cold and a warm code cache, and keeps the cache per Node version', async () => {
    const home = join(dir, 'cache-dry-run')
    const cold = await cli(['route', 'dry-run', '--template', 'traffic-split', '--random-value', '19', '-o', 'json'], home)
    const warm = await cli(['route', 'dry-run', '--template', 'traffic-split', '--random-value', '19', '-o', 'json'], home)
    expect(JSON.parse(cold).selectedCluster).toBe('outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local')
    expect(warm).toBe(cold)
    expect(readdirSync(join(home, 'aerakictl', process.version)).some((f) => f.startsWith('aerakictl-'))).toBe(true)
  })

  it('runs a cluster command through the client-node bundle', async () => {
    const home = join(dir, 'cache-analyze')
    const out = await cli(['route', 'analyze', '--from-cluster', '-n', 'meta-thrift', '-o', 'json'], home)
    expect(JSON.parse(out)).toHaveProperty('findings')
    expect(readdirSync(join(home, 'aerakictl', process.version)).some((f) => f.startsWith('client-node-'))).toBe(true)
  })

  it('shows help for a topic without running a command', async () => {
    const out = await cli(['route', '--help'], join(dir, 'cache-help'))
    expect(out).toContain('dry-run')
    expect(out).toContain('analyze')
  })
})
