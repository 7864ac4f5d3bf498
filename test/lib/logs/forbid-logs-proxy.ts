// A front for the emulator that answers pods/log with the API server's 403 (RBAC that allows pods but not
// pods/log), everything else passed through: the shared fault proxy with one rule on.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Emulator} from '../../support/emulator.js'
import {startFaultProxy} from '../../support/fault-proxy.js'

export interface ForbidLogsProxy {
  kubeconfig: string
  close(): Promise<void>
}

export async function startForbidLogsProxy(emu: Emulator, namespace: string): Promise<ForbidLogsProxy> {
  const proxy = await startFaultProxy(emu, {forbidLogs: true})
  const dir = mkdtempSync(join(tmpdir(), 'aerakictl-forbid-'))
  return {
    kubeconfig: proxy.writeKubeconfig(join(dir, 'kubeconfig'), namespace),
    async close() {
      await proxy.close()
      rmSync(dir, {recursive: true, force: true})
    },
  }
}
