// Completion of the words that come from the cluster: namespaces (-n, and the NAMESPACE argument) and app names
// (the APP argument: app labels and pod names of the namespace), through `aerakictl __complete`, which the bash, zsh
// and fish scripts call (test/commands/completion.test.ts drives the shells). Without a cluster: nothing, at once.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {deadKubeconfig, startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'

let pg: Playground
beforeAll(async () => {
  pg = await startPlaygroundWithDemo()
  const pods = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift')
  await until(() => pods().length >= 4, 'the demo pods', 30_000)
}, 60_000)
afterAll(async () => {
  await pg?.close()
})

const lines = (text: string) => text.split('\n').filter(Boolean)

describe('__complete from the cluster', () => {
  it('-n completes namespaces of the cluster', async () => {
    const r = await runCli(['__complete', 'app-log', '--kubeconfig', pg.kubeconfig, '-n', 'meta-'])
    expect(r.code, r.stderr).toBe(0)
    expect(lines(r.stdout)).toEqual(['meta-thrift'])
    const all = await runCli(['__complete', 'sidecar-config', '--kubeconfig', pg.kubeconfig, '--namespace', ''])
    expect(lines(all.stdout)).toEqual(expect.arrayContaining(['default', 'istio-system', 'meta-thrift']))
  })

  it('APP completes app labels and pod names of the namespace given with -n', async () => {
    const r = await runCli(['__complete', 'app-log', '--kubeconfig', pg.kubeconfig, '-n', 'meta-thrift', 'thrift-sample-c'])
    expect(r.code, r.stderr).toBe(0)
    const got = lines(r.stdout)
    expect(got).toContain('thrift-sample-client')
    expect(got.some((w) => /^thrift-sample-client-[a-z0-9]+-[a-z0-9]+$/.test(w))).toBe(true)
    expect(got.every((w) => w.startsWith('thrift-sample-c'))).toBe(true)
  })

  it('without a reachable cluster: no candidates and exit 0, so the shell just offers nothing', async () => {
    const r = await runCli(['__complete', 'app-log', '--kubeconfig', deadKubeconfig(pg.dir), '-n', 'meta-'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).not.toContain('s3cr3t-token')
  })
})
