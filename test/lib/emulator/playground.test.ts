import {spawn} from 'node:child_process'
import {existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {ownerFileOf, startPlayground} from '../../../src/lib/playground/playground.js'
import * as k8s from '@kubernetes/client-node'
import {KubeClient} from '../../../src/lib/kube/index.js'
import {until} from '../../support/wait.js'

const listCrds = (kube: KubeClient) => kube.run({verb: 'list', resource: 'customresourcedefinitions'}, kc => kc.makeApiClient(k8s.ApiextensionsV1Api).listCustomResourceDefinition())

const dir = mkdtempSync(join(tmpdir(), 'aerakictl-pg-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..')

describe('playground library', () => {
  it('writes a working kubeconfig only once listening, and removes it on stop', async () => {
    const path = join(dir, 'nested', 'pg.kubeconfig')
    const pg = await startPlayground({kubeconfigPath: path, port: 0})
    expect(existsSync(path)).toBe(true)
    const kube = KubeClient.create({kubeconfig: path})
    expect(kube.contextName).toBe('aerakictl-playground')
    const crds = await listCrds(kube)
    expect(crds.items.map((c) => c.metadata?.name).sort()).toEqual(['applicationprotocols.metaprotocol.aeraki.io', 'destinationrules.networking.istio.io', 'metarouters.metaprotocol.aeraki.io', 'serviceentries.networking.istio.io'])
    kube.close()
    await pg.stop()
    expect(existsSync(path)).toBe(false)
  })

  it('--bare starts without CRDs or istio-system (and logs requests when asked)', async () => {
    const path = join(dir, 'bare.kubeconfig')
    const lines: string[] = []
    const pg = await startPlayground({kubeconfigPath: path, bare: true, requestLog: (l) => lines.push(l)})
    const kube = KubeClient.create({kubeconfig: path})
    const nss = await kube.run({verb: 'list', resource: 'namespaces'}, kc => kc.makeApiClient(k8s.CoreV1Api).listNamespace())
    expect(nss.items.map((n) => n.metadata?.name)).not.toContain('istio-system')
    const crds = await listCrds(kube)
    expect(crds.items).toEqual([])
    expect(lines.some((l) => / GET \/apis\/apiextensions\.k8s\.io\/v1\/customresourcedefinitions 200 \d+ms$/.test(l))).toBe(true)
    kube.close()
    await pg.stop()
  })

  it('refuses to overwrite a kubeconfig that is not a playground one, and rejects a bad --speed', async () => {
    const real = join(dir, 'real-config')
    writeFileSync(real, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: prod\n  context: {cluster: prod, user: me}\n')
    await expect(startPlayground({kubeconfigPath: real})).rejects.toThrow(/--kubeconfig: refusing to overwrite .*real-config: it is not a playground kubeconfig/)
    expect(readFileSync(real, 'utf8')).toContain('prod')
    await expect(startPlayground({kubeconfigPath: join(dir, 'x'), speed: 0})).rejects.toThrow(/--speed: must be a number above 0/)
  })
})

describe('playground kubeconfig files are ours only (issue 12 §3)', () => {
  it('ignores files planted at the old temp name and never writes through a planted link; the kubeconfig is 0600', async () => {
    const sub = mkdtempSync(join(dir, 'plant-'))
    const path = join(sub, 'pg.kubeconfig')
    const victim = join(sub, 'victim')
    writeFileSync(victim, 'not yours\n')
    // What an attacker could plant for the old `<path>.<pid>.tmp` scheme, for any pid.
    writeFileSync(`${path}.${process.pid}.tmp`, 'apiVersion: v1\nclusters: [{name: evil, cluster: {server: https://evil.example}}]\n', {mode: 0o666})
    symlinkSync(victim, `${path}.${process.pid + 1}.tmp`)
    const pg = await startPlayground({kubeconfigPath: path, port: 0})
    try {
      const text = readFileSync(path, 'utf8')
      expect(text).toContain(pg.emulator.url)
      expect(text).not.toContain('evil')
      expect(lstatSync(path).isSymbolicLink()).toBe(false)
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(statSync(path).uid).toBe(process.getuid!())
      expect(readFileSync(victim, 'utf8')).toBe('not yours\n')
      // No temp directory or file is left beside it.
      expect(readdirSync(sub).filter((f) => f.startsWith('.aerakictl-playground-'))).toEqual([])
    } finally {
      await pg.stop()
    }
    expect(existsSync(path)).toBe(false)
    expect(existsSync(ownerFileOf(path))).toBe(false)
    expect(readFileSync(`${path}.${process.pid}.tmp`, 'utf8')).toContain('evil') // not ours: left alone
  })

  it('a second playground on the same path refuses while the first is alive, deleting nothing; busy port likewise', async () => {
    const path = join(mkdtempSync(join(dir, 'second-')), 'pg.kubeconfig')
    const first = await startPlayground({kubeconfigPath: path, port: 0})
    try {
      const before = readFileSync(path, 'utf8')
      await expect(startPlayground({kubeconfigPath: path, port: 0})).rejects.toThrow(new RegExp(`--kubeconfig: another playground \\(pid ${process.pid}\\) is serving with .*pg\\.kubeconfig`))
      const port = Number(new URL(first.emulator.url).port)
      await expect(startPlayground({kubeconfigPath: path, port})).rejects.toThrow(/another playground/)
      const other = join(dirname(path), 'other.kubeconfig')
      await expect(startPlayground({kubeconfigPath: other, port})).rejects.toThrow(/--port: port \d+ on 127\.0\.0\.1 is in use/)
      expect(existsSync(other)).toBe(false)
      expect(existsSync(ownerFileOf(other))).toBe(false)
      expect(readFileSync(path, 'utf8')).toBe(before)
    } finally {
      await first.stop()
    }
    expect(existsSync(path)).toBe(false)
  })

  it('takes over from a playground that died without cleaning up', async () => {
    const path = join(mkdtempSync(join(dir, 'stale-')), 'pg.kubeconfig')
    const first = await startPlayground({kubeconfigPath: path, port: 0})
    const stale = readFileSync(path, 'utf8')
    await first.emulator.close() // as if killed: files stay
    writeFileSync(ownerFileOf(path), '2147483646\n') // a pid no process has
    const second = await startPlayground({kubeconfigPath: path, port: 0})
    try {
      expect(readFileSync(path, 'utf8')).not.toBe(stale)
      expect(readFileSync(ownerFileOf(path), 'utf8').trim()).toBe(String(process.pid))
    } finally {
      await second.stop()
    }
  })

  it('stop leaves a kubeconfig someone else put at the path since', async () => {
    const path = join(mkdtempSync(join(dir, 'replaced-')), 'pg.kubeconfig')
    const pg = await startPlayground({kubeconfigPath: path, port: 0})
    rmSync(path)
    writeFileSync(path, readFileSync(join(dir, 'real-config')))
    await pg.stop()
    expect(readFileSync(path, 'utf8')).toContain('prod')
  })

  it('a --kubeconfig under a file is bad input naming the path (an unwritable directory: test/commands/permissions.test.ts)', async () => {
    const file = join(dir, 'a-file')
    writeFileSync(file, 'x')
    await expect(startPlayground({kubeconfigPath: join(file, 'pg.kubeconfig'), port: 0})).rejects.toThrow(/--kubeconfig: cannot create the directory .*a-file: (a parent is not a directory|EEXIST)/)
  })
})

describe('aerakictl playground (built CLI)', () => {
  it('serves until SIGINT, prints URL and path, and cleans up', async () => {
    const path = join(dir, 'cli.kubeconfig')
    const child = spawn(process.execPath, [join(repoRoot, 'bin/run.js'), 'playground', '--kubeconfig', path, '--port', '0', '--speed', '10'], {stdio: ['ignore', 'pipe', 'pipe']})
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    try {
      await until(() => existsSync(path), 'the playground kubeconfig written')
      await until(() => out.includes('Kubeconfig'), 'the playground printing its kubeconfig path')
      expect(out).toMatch(/^Playground Kubernetes API: https:\/\/127\.0\.0\.1:\d+\n/)
      expect(out).toContain(`Kubeconfig (context aerakictl-playground): ${path}`)
      const kube = KubeClient.create({kubeconfig: path})
      expect((await kube.run({verb: 'get', resource: 'namespaces', name: 'default'}, kc => kc.makeApiClient(k8s.CoreV1Api).readNamespace({name: 'default'}))).status?.phase).toBe('Active')
      kube.close()
    } finally {
      child.kill('SIGINT')
    }
    const code = await new Promise((r) => child.on('exit', r))
    expect(code).toBe(130) // Ctrl-C
    expect(existsSync(path)).toBe(false)
  })
})
