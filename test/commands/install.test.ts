// `aerakictl install demo` / `uninstall demo` through the built CLI (piped, as in CI) against the emulator over
// real sockets, and the real kubectl (v1.32) looking at the result.
import {execFile, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ANSI, BIN, ROOT, runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground, deadKubeconfig} from '../support/playground.js'
import {contentSnapshot, demoNamespaces, objectsIn, settled, snapshot} from '../lib/install/helpers.js'
import {until} from '../support/wait.js'

const kubectlPath = (process.env.PATH ?? '').split(':').map(d => join(d, 'kubectl')).find(p => existsSync(p))

function kubectl(pg: Playground, args: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  return new Promise(resolve => {
    execFile(kubectlPath!, [`--kubeconfig=${pg.kubeconfig}`, `--cache-dir=${join(pg.dir, 'kubectl-cache')}`, ...args], {timeout: 20_000, env: {...process.env, KUBECONFIG: ''}}, (err, stdout, stderr) => {
      resolve({code: err ? (typeof (err as any).code === 'number' ? (err as any).code : 1) : 0, stdout, stderr})
    })
  })
}

describe('install demo (CLI)', () => {
  let pg: Playground
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({demo: []})
  })
  afterAll(async () => {
    await pg?.close()
  })

  it('-o yaml prints the manifests without a cluster', async () => {
    const r = await runCli(['install', 'demo', 'thrift', '-o', 'yaml', '--kubeconfig', '/nonexistent/kubeconfig'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^kind: Namespace$/m)
    expect(r.stdout).toContain('istio-injection: enabled')
    expect(r.stdout.split('\n---\n')).toHaveLength(9)
  })

  it('--dry-run checks everything against the cluster and writes nothing', async () => {
    await settled(pg.emu)
    const before = snapshot(pg.emu)
    const r = await runCli(['install', 'demo', '--dry-run', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('nothing was changed')
    expect(r.stdout).toMatch(/Deployment meta-thrift\/thrift-sample-client +would be created/)
    expect(snapshot(pg.emu)).toEqual(before)
  })

  it('a fresh install ends ready, piped output has no escape codes, and kubectl shows the pods Running', async () => {
    const r = await runCli(['install', 'demo', 'thrift', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^✔ Demo ready: thrift in meta-thrift \(9 created\), all 4 Deployments available/m)
    expect(r.stdout).toMatch(/^✔ meta-thrift rate-limit server +3 created, 1\/1 Deployments available$/m)
    expect(r.stderr).toMatch(/^✔ preflight: Kubernetes v[\w.-]+, CRDs served, 31 permissions granted/m)
    // One line per change: never the same line twice.
    const lines = r.stderr.trim().split('\n')
    expect(new Set(lines).size).toBe(lines.length)
    expect(r.stdout).not.toMatch(ANSI)
    expect(r.stderr).not.toMatch(ANSI)
    expect(r.stderr).not.toContain('\r')
    expect(demoNamespaces(pg.emu)).toEqual(['meta-thrift'])

    if (!kubectlPath) return console.warn('kubectl not on PATH: skipping the kubectl check')
    const k = await kubectl(pg, ['get', 'pods', '-n', 'meta-thrift'])
    expect(k.code, k.stderr).toBe(0)
    for (const app of ['thrift-sample-client', 'thrift-sample-server-v1', 'thrift-sample-server-v2', 'rate-limit-server']) {
      expect(k.stdout).toMatch(new RegExp(`^${app}-\\w+-\\w+ +\\d/\\d +Running `, 'm'))
    }
  })

  it('a second run changes nothing and says so', async () => {
    await settled(pg.emu)
    const before = contentSnapshot(pg.emu)
    const r = await runCli(['install', 'demo', 'thrift', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^✔ meta-thrift deployments +unchanged, 3\/3 Deployments available$/m)
    expect(r.stdout).toContain('✔ No changes: the demo (thrift in meta-thrift) was already applied and every Deployment is available.')
    expect(contentSnapshot(pg.emu)).toEqual(before)
  })

  it('NO_COLOR wins over FORCE_COLOR; FORCE_COLOR alone colours', async () => {
    const plain = await runCli(['install', 'demo', 'thrift', '--kubeconfig', pg.kubeconfig], {env: {NO_COLOR: '1', FORCE_COLOR: '1'}})
    expect(plain.code).toBe(0)
    expect(plain.stdout + plain.stderr).not.toMatch(ANSI)
    const forced = await runCli(['install', 'demo', 'thrift', '--kubeconfig', pg.kubeconfig], {env: {FORCE_COLOR: '1'}})
    expect(forced.stdout).toMatch(ANSI)
  })

  it('an unreachable API names the context and server, and stops in preflight', async () => {
    const path = deadKubeconfig(pg.dir)
    const r = await runCli(['install', 'demo', '--kubeconfig', path])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('✘ preflight: stopped before any write (the error follows)')
    expect(r.stderr).toContain('cannot reach the Kubernetes API of context "dead" at https://127.0.0.1:1')
    expect(r.stderr).not.toContain('s3cr3t-token')
  })

  it('bad input exits 2', async () => {
    expect((await runCli(['install', 'demo', 'grpc', '--kubeconfig', pg.kubeconfig])).code).toBe(2)
    const r = await runCli(['install', 'demo', '--timeout', 'soon', '--kubeconfig', pg.kubeconfig])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--timeout: expected a positive duration')
  })

  it('uninstall refuses without --yes when stdin is not a terminal, then deletes with --yes', async () => {
    const refused = await runCli(['uninstall', 'demo', '--kubeconfig', pg.kubeconfig])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/refusing to delete namespace meta-thrift \(4 pods\) without confirmation: stdin is not a terminal; pass --yes/)
    expect(demoNamespaces(pg.emu)).toEqual(['meta-thrift'])

    const r = await runCli(['uninstall', 'demo', '--yes', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('✔ namespace meta-thrift deleted\n✔ namespace meta-dubbo was not there\n✔ Demo uninstalled: no demo namespace left.\n')
    expect(demoNamespaces(pg.emu)).toEqual([])
    if (!kubectlPath) return
    const k = await kubectl(pg, ['get', 'pods', '-n', 'meta-thrift'])
    expect(k.stdout + k.stderr).toContain('No resources found in meta-thrift namespace.')
  })
})

describe('install demo (CLI) when it cannot or does not finish', () => {
  let pg: Playground | undefined
  afterAll(async () => {
    await pg?.close()
  })
  const fresh = async (opts: Parameters<typeof startPlaygroundWithDemo>[0], settle = true) => {
    await pg?.close()
    pg = await startPlaygroundWithDemo(opts)
    if (settle) await settled(pg.emu)
    return pg
  }

  it('without the Istio/Aeraki CRDs it says how to get them and writes nothing', async () => {
    const p = await fresh({bare: true})
    const before = snapshot(p.emu)
    const r = await runCli(['install', 'demo', '--kubeconfig', p.kubeconfig])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('does not serve MetaRouter (metarouters.metaprotocol.aeraki.io/v1alpha1)')
    expect(r.stderr).toContain('The demo needs Istio and Aeraki installed first')
    expect(r.stderr).toContain('Nothing was applied.')
    expect(snapshot(p.emu)).toEqual(before)
  })

  it('a 403 on one resource names it and nothing is half-applied', async () => {
    const p = await fresh({demo: [], limitedNamespaces: ['meta-thrift']})
    p.emu.state.cluster.create(p.emu.state.cluster.type('', 'namespaces'), undefined, {metadata: {name: 'meta-thrift'}})
    await settled(p.emu)
    const before = snapshot(p.emu)
    const r = await runCli(['install', 'demo', 'thrift', '--kubeconfig', p.limitedKubeconfig])
    expect(r.code).toBe(4)
    expect(r.stderr).toContain('  cannot patch namespaces at cluster scope ("meta-thrift")')
    expect(r.stderr).not.toContain(p.emu.limitedToken)
    expect(snapshot(p.emu)).toEqual(before)
  })

  it('an ImagePullBackOff pod is named in the report and the exit code is 1', async () => {
    const p = await fresh({demo: []})
    p.emu.faults.failImage('ghcr.io/aeraki-mesh/thrift-sample-server')
    const applied = await runCli(['install', 'demo', 'thrift', '--no-wait', '--kubeconfig', p.kubeconfig])
    expect(applied.code, applied.stderr).toBe(0)
    expect(applied.stdout).toContain('readiness not checked (--no-wait)')
    const backingOff = () => objectsIn(p.emu, '', 'pods', 'meta-thrift').filter(x => (x.status as any)?.containerStatuses?.some((c: any) => c.state?.waiting?.reason === 'ImagePullBackOff')).length === 2
    await until(backingOff, 'both server pods in ImagePullBackOff')
    const r = await runCli(['install', 'demo', 'thrift', '--timeout', '1s', '--kubeconfig', p.kubeconfig])
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/^✘ meta-thrift deployments +unchanged, 1\/3 Deployments available$/m)
    for (const v of ['v1', 'v2']) {
      expect(r.stdout).toMatch(new RegExp(`^ {4}Deployment thrift-sample-server-${v}: 0/1 available\\n {6}pod thrift-sample-server-${v}-\\w+-\\w+: ImagePullBackOff: image "ghcr.io/aeraki-mesh/thrift-sample-server" of container thrift-sample-server cannot be pulled`, 'm'))
    }
    expect(r.stdout).toContain('✘ Not ready after 1s (--timeout): 2 of 4 Deployments not available (see above); look further with: kubectl get pods -n meta-thrift')
  })

  it('Ctrl-C while waiting stops cleanly (exit 130) and says everything was applied', async () => {
    const p = await fresh({demo: [], podStartDelayMs: 600_000}, false) // pods never start during the test
    const child = spawn(process.execPath, [BIN, 'install', 'demo', 'thrift', '--kubeconfig', p.kubeconfig], {cwd: ROOT, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', b => (stdout += b))
    let sent = false
    child.stderr.on('data', b => {
      stderr += b
      if (!sent && stderr.includes('0/3 Deployments available')) sent = child.kill('SIGINT') // one Ctrl-C
    })
    const code = await new Promise<number | null>(res => child.on('close', c => res(c)))
    expect(code, stderr).toBe(130)
    expect(stdout).toContain('✘ Interrupted (Ctrl-C) while waiting for the rollout: all 9 objects were applied; 4 of 4 Deployments not available yet.')
    expect(objectsIn(p.emu, 'apps', 'deployments', 'meta-thrift')).toHaveLength(4)
  })
})

// util-linux `script` gives the CLI a terminal; it is required (Debian's bsdutils, essential).
const scriptPath = 'script'

/** Runs the CLI on a pseudo-terminal (util-linux script), typing `answer` once `prompt` shows. */
function onTerminal(args: string[], prompt?: string, answer?: string): Promise<{code: number | null; out: string}> {
  // Arguments are our own (temp paths, fixed words), quoted for the shell script(1) runs.
  const quoted = [process.execPath, BIN, ...args].map(a => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  const child = spawn(scriptPath, ['-qec', `stty rows 40 cols 120; ${quoted}`, '/dev/null'], {cwd: ROOT, env: {...process.env, NO_COLOR: undefined, CI: undefined, TERM: 'xterm'}, stdio: ['pipe', 'pipe', 'pipe']})
  let out = ''
  let typed = false
  child.stdout.on('data', b => {
    out += b
    if (prompt && !typed && out.includes(prompt)) typed = child.stdin.write(answer ?? '') || true
  })
  return new Promise(res => child.on('close', code => {
    child.stdin.end()
    res({code, out})
  }))
}

describe('install/uninstall demo on a terminal', () => {
  let pg: Playground
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({demo: []})
  })
  afterAll(async () => {
    await pg?.close()
  })

  it('install draws the live view, then the report', async () => {
    const r = await onTerminal(['install', 'demo', 'thrift', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.out).toBe(0)
    expect(r.out).toMatch(/\u001b\[\d*[AK]/) // live redraws: cursor up / erase line
    expect(r.out).toContain('meta-thrift rate-limit server')
    expect(r.out).toMatch(/✔.*Demo ready: thrift in meta-thrift \(9 created\)/)
  })

  it('uninstall asks first: no keeps everything, yes deletes', async () => {
    const question = 'Delete namespace meta-thrift (4 pods) in context "aerakictl-playground", with everything in it? [y/N]'
    const no = await onTerminal(['uninstall', 'demo', '--kubeconfig', pg.kubeconfig], '[y/N]', 'n\r')
    expect(no.out).toContain(question)
    expect(no.out).toContain('Cancelled: nothing was deleted.')
    expect(no.code).toBe(0)
    expect(demoNamespaces(pg.emu)).toEqual(['meta-thrift'])
    // Ctrl-C at the prompt is an interruption (130), not a "no" (0); nothing is deleted.
    const interrupted = await onTerminal(['uninstall', 'demo', '--kubeconfig', pg.kubeconfig], '[y/N]', '\u0003')
    expect(interrupted.code, interrupted.out).toBe(130)
    expect(interrupted.out).toContain('interrupted at the prompt: nothing was deleted')
    expect(demoNamespaces(pg.emu)).toEqual(['meta-thrift'])
    const yes = await onTerminal(['uninstall', 'demo', '--kubeconfig', pg.kubeconfig], '[y/N]', 'y\r')
    expect(yes.code, yes.out).toBe(0)
    expect(yes.out).toMatch(/✔.* Demo uninstalled: no demo namespace left\./)
    expect(demoNamespaces(pg.emu)).toEqual([])
  })
})

describe('install demo on a terminal, interrupted', () => {
  let pg: Playground
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({demo: [], podStartDelayMs: 600_000}) // pods never start during the test
  })
  afterAll(async () => {
    await pg?.close()
  })

  it('Ctrl-C typed on the terminal reaches it through the live view', async () => {
    const r = await onTerminal(['install', 'demo', 'thrift', '--kubeconfig', pg.kubeconfig], '0/3 Deployments available', '\u0003')
    expect(r.code, r.out).toBe(130)
    expect(r.out).toContain('Interrupted (Ctrl-C) while waiting for the rollout: all 9 objects were applied')
  })
})
