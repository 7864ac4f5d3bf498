// An emulator with the Thrift demo applied, plus its kubeconfig in a temp dir, for the sidecar and verify tests.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as k8s from '@kubernetes/client-node'
import * as yaml from 'js-yaml'
import {startEmulator, type Emulator} from '../../support/emulator.js'

import {until} from '../../support/wait.js'
import {THRIFT_DEMO} from '../../support/demo.js'
import {CONFIG_DUMPS} from '../../support/fixtures.js'

export const DEMO_DIR = THRIFT_DEMO
export const FIXTURES = CONFIG_DUMPS

export interface LiveCluster {
  emu: Emulator
  kc: k8s.KubeConfig
  dir: string
  kubeconfig: string
  clientPod: string
  apply(file: string, mutate?: (doc: any) => void): Promise<void>
  close(): Promise<void>
}

const eventually = <T>(fn: () => Promise<T | undefined>) => until(fn, 'the demo client pod Running')

export async function startLiveCluster(): Promise<LiveCluster> {
  const emu = await startEmulator({podStartDelayMs: 20, speed: 25})
  const kc = new k8s.KubeConfig()
  kc.loadFromString(emu.kubeconfigYaml())
  const dir = mkdtempSync(join(tmpdir(), 'aerakictl-sidecar-'))
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(kubeconfig, emu.kubeconfigYaml({namespace: 'meta-thrift'}), {mode: 0o600})
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc)
  const apply = async (file: string, mutate?: (doc: any) => void) => {
    for (const doc of yaml.loadAll(readFileSync(join(DEMO_DIR, file), 'utf8')) as any[]) {
      if (!doc?.kind) continue
      doc.metadata.namespace ??= 'meta-thrift'
      mutate?.(doc)
      await objects.patch(doc, undefined, undefined, 'sidecar-test', true, k8s.PatchStrategy.ServerSideApply)
    }
  }
  const core = kc.makeApiClient(k8s.CoreV1Api)
  await core.createNamespace({body: {metadata: {name: 'meta-thrift', labels: {'istio-injection': 'enabled'}}}})
  await apply('thrift-sample.yaml')
  await apply('destinationrule.yaml')
  const pod = await eventually(async () => (await core.listNamespacedPod({namespace: 'meta-thrift', labelSelector: 'app=thrift-sample-client'}))
    .items.find((p) => p.status?.phase === 'Running'))
  return {
    emu, kc, dir, kubeconfig, clientPod: pod.metadata!.name!, apply,
    async close() {
      await emu.close()
      rmSync(dir, {recursive: true, force: true})
    },
  }
}
