import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'
import {startPlayground} from '../../../src/lib/playground/playground.js'
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
    expect(code).toBe(0)
    expect(existsSync(path)).toBe(false)
  })
})
