// An in-process emulator with the Thrift demo applied, and kubeconfig files for the CLI under test.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as k8s from '@kubernetes/client-node'
import {startEmulator, type Emulator, type EmulatorOptions} from './emulator.js'
import {parseDemoManifests} from '../../src/lib/demo/world.js'

export interface Playground {
  emu: Emulator
  kubeconfig: string
  limitedKubeconfig: string
  dir: string
  /** client-node's generic object API on the admin kubeconfig (what the setup applies the demo with). */
  objects: k8s.KubernetesObjectApi
  metaRouters(ns?: string): any[]
  close(): Promise<void>
}

export async function startPlaygroundWithDemo(opts: EmulatorOptions & {demo?: Array<'thrift' | 'dubbo'>} = {}): Promise<Playground> {
  const emu = await startEmulator({podStartDelayMs: 20, ...opts})
  const dir = mkdtempSync(join(tmpdir(), 'aerakictl-pg-'))
  const kubeconfig = join(dir, 'admin.kubeconfig')
  const limitedKubeconfig = join(dir, 'limited.kubeconfig')
  writeFileSync(kubeconfig, emu.kubeconfigYaml())
  writeFileSync(limitedKubeconfig, emu.kubeconfigYaml({token: emu.limitedToken}))
  const kc = new k8s.KubeConfig()
  kc.loadFromString(emu.kubeconfigYaml())
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc)
  if (!opts.bare) {
    const wanted = opts.demo ?? ['thrift']
    for (const l of await parseDemoManifests()) {
      if (!wanted.some(w => l.source.file.includes(`/demo/${w}/`))) continue
      await objects.patch(l.obj as any, undefined, undefined, 'test-setup', true, k8s.PatchStrategy.ServerSideApply)
    }
  }
  const t = () => emu.state.cluster.type('metaprotocol.aeraki.io', 'metarouters')
  return {
    emu,
    kubeconfig,
    limitedKubeconfig,
    dir,
    objects,
    metaRouters: (ns?: string) => (opts.bare ? [] : emu.state.cluster.list(t(), ns)),
    close: async () => {
      await emu.close()
      rmSync(dir, {recursive: true, force: true})
    },
  }
}

/** A kubeconfig whose server refuses connections, with a token that must never be printed. */
export function deadKubeconfig(dir: string): string {
  const path = join(dir, 'dead.kubeconfig')
  writeFileSync(path, `apiVersion: v1
kind: Config
clusters: [{name: dead, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
users: [{name: dead, user: {token: s3cr3t-token}}]
contexts: [{name: dead, context: {cluster: dead, user: dead}}]
current-context: dead
`)
  return path
}
