// `sidecar-config -i`, the interactive viewer, in a real pseudo-terminal (tmux) against the playground after
// `apply method-route`: the sections by @type, the jump to the MetaProtocol routes, search, the JSONPath of the
// selected node (fed back to --jsonpath), q; NO_COLOR and colour; and -i where there is no terminal.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ANSI, runCli} from '../support/cli.js'
import {CONFIG_DUMPS} from '../support/fixtures.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {until} from '../support/wait.js'
import {startPane, type Pane} from '../lib/sidecar/tmux.js'
import {join} from 'node:path'

let pg: Playground
const panes: Pane[] = []
const AERAKI_SECTION = /\[(\d+)\]: RoutesConfigDump \(aeraki\.meta_protocol_proxy\.admin\.v1alpha\)/
const PATH_LINE = /^path: (\S+)$/m

// Every pane of the file (both describes) is closed at the end: an open pane is a tmux server left running.
afterAll(async () => {
  for (const p of panes.splice(0)) await p.close()
})

describe('sidecar-config -i on a terminal', () => {
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({speed: 10})
    const pods = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift')
    await until(() => pods().filter((p: any) => p.status?.phase === 'Running').length >= 4, 'the four demo pods Running', 60_000)
    const applied = await runCli(['apply', 'method-route', '--kubeconfig', pg.kubeconfig])
    expect(applied.code, applied.stderr).toBe(0)
  }, 90_000)
  afterAll(async () => {
    await pg?.close()
  })

  // CI=true as CI runners set it: ink draws nothing until exit when it believes it runs in CI (is-in-ci), and the
  // viewer must draw all the same (the CI run of this repository once saw a blank screen for 30 s here).
  it('browses the client sidecar: sections by @type, m to the MetaProtocol routes, / search, the JSONPath, q', async () => {
    const pane = await startPane(['sidecar-config', 'client', 'meta-thrift', '-i', '--kubeconfig', pg.kubeconfig], {NO_COLOR: '1', CI: 'true'})
    panes.push(pane)
    const first = await pane.waitFor((s) => AERAKI_SECTION.test(s) && PATH_LINE.test(s), 'the sections and the path line')
    expect(first).toMatch(/^config dump of meta-thrift\/thrift-sample-client-\S+ /m)
    expect(first).toMatch(/^> ▾ "configs": \[\d+ items\]$/m)
    expect(first).toMatch(/▸ \[\d+\]: ListenersConfigDump \(envoy\.admin\.v3\)/)
    expect(first).toContain('q quit')
    const section = AERAKI_SECTION.exec(first)![1]

    await pane.keys(['m'])
    const routes = await pane.waitFor((s) => s.includes('MetaProtocol routes (Aeraki'), 'the jump to the MetaProtocol routes')
    expect(PATH_LINE.exec(routes)![1]).toBe(`$.configs[${section}].dynamic_route_configs[0].route_config.routes`)
    // The route of method-route, one line below the selected list.
    expect(routes).toMatch(/^> +▾ "routes": \[1 item\]\n +▸ \[0\]: \{\d\} \S+$/m)

    await pane.keys(['/sayHello'], true)
    await pane.waitFor((s) => /^\/sayHello$/m.test(s), 'the search being typed')
    await pane.keys(['Enter'])
    const found = await pane.waitFor((s) => /^match 1 of \d+ for "sayHello"/m.test(s), 'the first match')
    expect(found).toMatch(/^> +"exact_match": "sayHello"$/m)
    const path = PATH_LINE.exec(found)![1]
    expect(path).toMatch(/\.route_config\.routes\[0\]\.match\.metadata\[0\]\.exact_match$/)
    // The path shown is one --jsonpath takes back.
    const back = await runCli(['sidecar-config', 'client', 'meta-thrift', '--jsonpath', path, '--kubeconfig', pg.kubeconfig])
    expect(back.code, back.stderr).toBe(0)
    expect(JSON.parse(back.stdout)).toEqual(['sayHello'])

    // ← twice: up to the metadata entry, then closes it.
    await pane.keys(['Left'])
    await pane.waitFor((s) => /^path: \S+\.match\.metadata\[0\]$/m.test(s), 'the parent selected')
    await pane.keys(['Left'])
    await pane.waitFor((s) => /^> +▸ \[0\]: \{2\} method$/m.test(s), 'the parent closed')

    const screen = await pane.screen(true)
    expect(screen).not.toMatch(ANSI) // NO_COLOR: the selection is the ">" marker alone
    await pane.keys(['q'])
    expect(await pane.exited()).toBe(0)
    // Back on the normal screen: the viewer's frame is gone.
    expect(await pane.screen()).not.toContain('path: $')
  }, 120_000)

  it('marks the selection in reverse video when colour is on, and Ctrl-C quits with 130', async () => {
    const pane = await startPane(['sidecar-config', '-i', '--config-dump', join(CONFIG_DUMPS, 'thrift-client-config-dump.json')], {FORCE_COLOR: '1', NO_COLOR: undefined, CONTINUOUS_INTEGRATION: '1', CI: undefined})
    panes.push(pane)
    await pane.waitFor((s) => PATH_LINE.test(s), 'the viewer')
    await pane.keys(['Down'])
    const s = await pane.waitFor((x) => /^path: \$\.configs\[0\]$/m.test(x), 'the first section selected')
    expect(s).toMatch(/^config dump of \S+thrift-client-config-dump\.json/m)
    expect(await pane.screen(true)).toMatch(/\u001b\[7m> +▸ \[0\]: BootstrapConfigDump/)
    await pane.keys(['C-c'])
    expect(await pane.exited()).toBe(130)
    expect(await pane.screen()).not.toContain('path: $')
  }, 60_000)
})

describe('sidecar-config -i without a terminal', () => {
  const dump = join(CONFIG_DUMPS, 'thrift-client-config-dump.json')

  it('is a usage error on a terminal that cannot redraw (TERM=dumb)', async () => {
    const pane = await startPane(['sidecar-config', '-i', '--config-dump', dump], {TERM: 'dumb'})
    panes.push(pane)
    expect(await pane.exited()).toBe(2)
    expect(await pane.screen()).toMatch(/^Error: --interactive: -i redraws the screen, which TERM=dumb cannot do/m)
  })

  it('is a usage error on a pipe, naming the flag and what to do instead', async () => {
    const r = await runCli(['sidecar-config', '-i', '--config-dump', dump])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^Error: --interactive: -i needs a terminal, but stdout is a pipe or file; without -i the dump is printed as JSON there/)
  })

  it('refuses flags that choose a printed output, and a dump from stdin', async () => {
    for (const [flag, extra] of [['-o', ['-o', 'json']], ['--jsonpath', ['--jsonpath', '$.configs']], ['--json', ['--json']]] as const) {
      const r = await runCli(['sidecar-config', '-i', '--config-dump', dump, ...extra])
      expect(r.code, flag).toBe(2)
      expect(r.stderr + r.stdout, flag).toContain(`-i shows the dump in a viewer; leave out ${flag}`)
    }
    const stdin = await runCli(['sidecar-config', '-i', '--config-dump', '-'], {input: '{"configs": []}'})
    expect(stdin.code).toBe(2)
    expect(stdin.stderr).toMatch(/-i reads keys from the terminal, so the dump cannot come from stdin/)
  })
})
