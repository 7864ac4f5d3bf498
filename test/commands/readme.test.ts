// The README's walkthrough and its table of the bash aerakictl's functions, run as written against the playground:
// every `aerakictl …` line of the walkthrough in order (the table's commands before `uninstall demo`), `kubectl` as
// is, `| jq .` into real jq, `-f` followed until Ctrl-C, `-i` in a terminal (tmux) until q. The README is read
// here, so a line added there is a line tested here.
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT, runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {spawnCli, type LiveCli} from '../lib/logs/spawn-cli.js'
import {startPane} from '../lib/sidecar/tmux.js'
import {pipeInto} from '../lib/sidecar/pipe.js'
import {until} from '../support/wait.js'

const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The commands of the walkthrough's sh block, comments and continuation comments left out. */
function walkthrough(): string[] {
  const section = README.slice(README.indexOf('## Walkthrough (playground)'))
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]
  return block.split('\n').map((l) => l.replace(/(^|\s+)#.*$/, '').trim()).filter(Boolean)
}

/** Every `aerakictl …` in the second column of the table from the bash functions. */
function tableCommands(): string[] {
  const section = README.slice(README.indexOf('### From the bash `aerakictl.sh` to `aerakictl`'))
  const rows = section.slice(0, section.indexOf('\n\n', section.indexOf('| bash function |'))).split('\n').filter((l) => l.startsWith('| `'))
  return rows.flatMap((row) => {
    const cell = row.split(/(?<!\\)\|/)[2]
    return [...cell.matchAll(/`(aerakictl [^`]+)`/g)].map((m) => m[1].replace(/\\\|/g, '|'))
  })
}

const words = (line: string) => line.split(/\s+/)

describe('README walkthrough and toolkit table, as written, against the playground', () => {
  let pg: Playground
  let dir: string
  let env: Record<string, string>
  beforeAll(async () => {
    // Istio and Aeraki, no demo: the walkthrough installs it.
    pg = await startPlaygroundWithDemo({speed: 10, demo: []})
    dir = mkdtempSync(join(tmpdir(), 'aerakictl-readme-'))
    env = {KUBECONFIG: pg.kubeconfig}
  }, 60_000)
  afterAll(async () => {
    await pg?.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('finds the commands it runs', () => {
    expect(walkthrough()[0]).toBe('aerakictl playground')
    expect(walkthrough()).toContain('aerakictl sidecar-config client meta-thrift | jq .')
    expect(walkthrough()).toContain('aerakictl sidecar-config client meta-thrift -i')
    // Every new command family of the toolkit appears in the walkthrough.
    for (const c of ['istiod ', 'aeraki log', 'gateway-config', 'gateway log', 'sidecar log ', 'sidecar stats', 'sidecar log-level', 'sidecar admin', 'restart ', 'app-log server -A']) {
      expect(walkthrough().some((l) => l.startsWith(`aerakictl ${c}`)), c).toBe(true)
    }
    expect(tableCommands().length).toBeGreaterThanOrEqual(20)
  })

  /** Every Deployment's rollout is complete (kubectl rollout status: observed, all replicas updated and available). */
  const rolledOut = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('apps', 'deployments')).every((d: any) =>
    (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && d.status?.updatedReplicas === (d.spec?.replicas ?? 1) &&
    d.status?.replicas === d.status?.updatedReplicas && d.status?.availableReplicas === d.status?.updatedReplicas)

  it('runs every line', async () => {
    const ran: string[] = []
    const following: Array<{line: string; cli: LiveCli}> = []
    const run = async (line: string, background: boolean) => {
      const w = words(line)
      if (line === 'aerakictl playground' || w[0] === 'export') return // the test's playground and its kubeconfig
      ran.push(line)
      if (w[0] === 'kubectl') {
        const out = await new Promise<string>((resolve, reject) => execFile('kubectl', w.slice(1), {env: {...process.env, ...env}}, (e, stdout, stderr) => (e ? reject(new Error(`${line}: ${stderr}`)) : resolve(stdout))))
        expect(out, line).toMatch(/^thrift-sample-client-\S+\s+2\/2\s+Running/m)
        return
      }
      expect(w[0], line).toBe('aerakictl')
      const args = w.slice(1)
      const pipe = args.indexOf('|')
      if (pipe >= 0) {
        const r = await pipeInto(args.slice(0, pipe), args.slice(pipe + 1), env)
        expect(r.cliCode, `${line}: ${r.cliStderr}`).toBe(0)
        expect(r.readerCode, `${line}: ${r.readerStderr}`).toBe(0)
        expect(JSON.parse(r.stdout).configs.length, line).toBeGreaterThan(0)
        return
      }
      if (args.includes('-i')) {
        const pane = await startPane(args, {...env, NO_COLOR: '1'})
        try {
          await pane.waitFor((s) => /^path: \$/m.test(s), line)
          await pane.keys(['q'])
          expect(await pane.exited(), line).toBe(0)
        } finally {
          await pane.close()
        }
        return
      }
      if (args.includes('-f')) {
        const cli = spawnCli(args, env)
        await cli.waitFor(() => cli.stdout().length > 0, 60_000)
        if (background) { following.push({line, cli}); return }
        cli.interrupt()
        expect(await cli.exited, line).toEqual({code: 130, signal: null})
        return
      }
      const r = await runCli(args, {env, cwd: dir})
      expect(r.code, `${line}:\n${r.stderr}`).toBe(0)
      expect(r.stdout.length + r.stderr.length, line).toBeGreaterThan(0)
      if (line === 'aerakictl install demo') expect(r.stderr + r.stdout).toMatch(/✔ Demo ready/)
      // restart is a rollout restart and returns before the new pods run (as kubectl rollout restart does); the next
      // lines read those pods, so wait for every rollout to finish, as `kubectl rollout status` would.
      if (w[1] === 'restart') await until(() => rolledOut(), `${line}: every Deployment rolled out`)
    }

    try {
      await walk()
    } finally {
      // A failed line leaves the followers (-f) running: stop them, or they outlive the test run.
      for (const {cli} of following) cli.interrupt()
    }
    expect(ran).toContain('aerakictl uninstall demo --yes')
    expect(ran.length).toBe(walkthrough().length - 2 + tableCommands().length)

    async function walk() {
      for (const line of walkthrough()) {
        if (line.startsWith('aerakictl uninstall')) {
          for (const t of tableCommands()) await run(t, false)
          // The tally followed the applies (the walkthrough's "watch the tally follow").
          for (const {line: l, cli} of following) {
            if (l.includes('--tally')) await cli.waitFor(() => /configuration changed \(now MetaRouter meta-thrift\/thrift-sample-server-route, route traffic-split\)/.test(cli.stderr()), 60_000)
            cli.interrupt()
            expect(await cli.exited, l).toEqual({code: 130, signal: null})
            if (l.includes('--tally')) expect(cli.stderr(), l).toMatch(/20\/80 configured/)
          }
        }
        await run(line, true)
      }
    }
  }, 600_000)
})
