// Issue 12 "Keep": `app-log -f` over 60 pods writing 200 lines/s in all loses and repeats no line. Each pod numbers
// its lines; every pod's numbers as printed must run on without a gap or a repeat from the first one seen (-f
// --tail 0 starts mid-stream). Asserted on content only: on a slow machine the check just waits longer.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {EmulatorPlugin} from '@aerakictl/kube-emulator'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {spawnCli} from '../lib/logs/spawn-cli.js'

const NS = 'load'
const PODS = 60
const INTERVAL_MS = 300 // 60 pods × 1000/300 lines/s = 200 lines/s

/** A container that logs "seq N" every INTERVAL_MS. */
const ticker: EmulatorPlugin = {
  container(_pod, container) {
    if (container.name !== 'ticker') return undefined
    return {
      run(log) {
        let n = 0
        const timer = setInterval(() => log(`seq ${n++}`), INTERVAL_MS)
        return () => clearInterval(timer)
      },
    }
  },
}

let pg: Playground

beforeAll(async () => {
  pg = await startPlaygroundWithDemo({bare: true, plugins: [ticker]})
  const api = pg.objects
  await api.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: NS}})
  for (let i = 0; i < PODS; i++) {
    await api.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: `ticker-${String(i).padStart(2, '0')}`, namespace: NS, labels: {app: 'ticker'}},
      spec: {containers: [{name: 'ticker', image: 'ticker:1'}]}} as any)
  }
  const running = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), NS).filter((p: any) => p.status?.phase === 'Running').length
  await until(() => running() === PODS, `${PODS} ticker pods Running`, 60_000)
}, 120_000)

afterAll(async () => {
  await pg?.close()
})

describe('app-log -f over 60 pods at 200 lines/s', () => {
  it('prints every line of every pod once, in order', async () => {
    const cli = spawnCli(['app-log', '-l', 'app=ticker', '-n', NS, '-f', '--tail', '0', '--max-log-requests', String(PODS), '--kubeconfig', pg.kubeconfig])
    const seen = () => {
      const byPod = new Map<string, number[]>()
      for (const m of cli.stdout().matchAll(/^(ticker-\d\d) .*\bseq (\d+)$/gm)) {
        const list = byPod.get(m[1]) ?? []
        list.push(Number(m[2]))
        byPod.set(m[1], list)
      }
      return byPod
    }
    try {
      // Every pod at least 15 lines (4.5 s of its output) after its first.
      await cli.waitFor(() => {
        const s = seen()
        return s.size === PODS && [...s.values()].every((l) => l.length >= 15)
      }, 90_000)
    } finally {
      cli.interrupt()
      await cli.exited
    }
    const broken: string[] = []
    let lines = 0
    for (const [pod, list] of seen()) {
      lines += list.length
      list.forEach((n, i) => {
        if (i > 0 && n !== list[i - 1] + 1) broken.push(`${pod}: ${list[i - 1]} then ${n}`)
      })
    }
    expect(broken).toEqual([])
    expect(lines).toBeGreaterThanOrEqual(PODS * 15)
  }, 180_000)
})
