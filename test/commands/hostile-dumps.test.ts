// Issue 12 §5: config dumps a proxy would never hold, and data that tries to drive the terminal. Weights must be
// uint32 (bad input naming the field path otherwise); control characters in names from a dump are escaped in
// every text output and in error messages, JSON stays equal to its value, our own colours stay.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {escapeControls} from '../../src/lib/render/terminal-safe.js'

const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const TABLE = `${HOST}_9090`
// OSC 0 (retitle), BEL, ED (clear screen), an 8-bit CSI (U+009B) and a carriage return.
const EVIL = 'v1\u001b]0;pwned\u0007\u001b[2J\u009b31m\rX'
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/
// eslint-disable-next-line no-control-regex
const NON_SGR_ESCAPE = /\x1b(?!\[[0-9;]*m)/

let dir: string

function dump(routes: unknown[]): string {
  const file = join(dir, `dump-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, JSON.stringify({configs: [{
    '@type': 'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump',
    dynamic_route_configs: [{route_config: {'@type': 'type.googleapis.com/aeraki.meta_protocol_proxy.config.route.v1alpha.RouteConfiguration', name: TABLE, routes}}],
  }]}))
  return file
}

const weighted = (...weights: unknown[]) => dump([{name: 'split', route: {weighted_clusters: {clusters: weights.map((weight, i) => ({name: `outbound|9090|v${i + 1}|${HOST}`, weight}))}}}])

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-hostile-'))
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('weights in a config dump are uint32, as the proxy parses them', () => {
  it('an integer split works, also as decimal strings', async () => {
    const r = await runCli(['route', 'dry-run', '--config-dump', weighted('20', 80), '--host', HOST, '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).clusters.map((c: any) => [c.weight, c.share])).toEqual([[20, 0.2], [80, 0.8]])
  })

  for (const [label, weights, shown] of [
    ['negative', [10, -5], '-5'],
    ['not a number', [10, 'abc'], '"abc"'],
    ['above uint32', [10, 4294967296], '4294967296'],
    ['a uint64 past 2^53', [10, '18446744073709551615'], '"18446744073709551615"'],
    ['fractional', [10, 0.5], '0.5'],
  ] as Array<[string, unknown[], string]>) {
    it(`${label}: bad input (exit 2) naming the route and the field path, in dry-run (text and --json) and sidecar-config`, async () => {
      const file = weighted(...weights)
      const message = `route table ${TABLE}, route "split" (routes[0]).route.weighted_clusters.clusters[1].weight: ${shown} is not an unsigned 32-bit integer (0 to 4294967295); the proxy rejects this route configuration`
      for (const args of [['route', 'dry-run', '--config-dump', file, '--host', HOST], ['sidecar-config', '--config-dump', file, '-o', 'table']]) {
        const r = await runCli(args)
        expect(r.code, r.stderr).toBe(2)
        expect(r.stderr).toBe(`Error: ${message}\n`)
      }
      const j = await runCli(['route', 'dry-run', '--config-dump', file, '--host', HOST, '--json'])
      expect(JSON.parse(j.stdout)).toEqual({error: {code: 'BAD_INPUT', message, exitCode: 2}})
    })
  }

  it('an empty cluster list is refused as the proxy refuses it (min_items: 1)', async () => {
    const r = await runCli(['route', 'dry-run', '--config-dump', weighted(), '--host', HOST])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`route "split" (routes[0]).route.weighted_clusters.clusters: is empty; the proxy rejects a weighted_clusters without clusters (min_items: 1)`)
  })
})

describe('control characters from a dump never reach the terminal raw', () => {
  let file: string
  beforeAll(() => {
    file = dump([{name: EVIL, route: {cluster: `outbound|9090|v1|${HOST}`}}])
  })

  it('escapeControls: C0 (but tab/newline), DEL and C1 become \\u00XX; colour (SGR) kept only when asked', () => {
    expect(escapeControls('a\tb\nc')).toBe('a\tb\nc')
    expect(escapeControls(EVIL)).toBe('v1\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u000dX')
    expect(escapeControls('\u001b[31mred\u001b[0m \u001b[2J', true)).toBe('\u001b[31mred\u001b[0m \\u001b[2J')
    expect(escapeControls('\u007f\u0080')).toBe('\\u007f\\u0080')
  })

  for (const args of [['sidecar-config', '-o', 'table'], ['route', 'dry-run', '--host', HOST], ['route', 'dry-run', '--host', HOST, '-o', 'yaml']]) {
    it(`${args.join(' ')}: the name is shown escaped`, async () => {
      const r = await runCli([...args, '--config-dump', file])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).not.toMatch(RAW_CONTROL)
      expect(r.stdout).toMatch(/v1(\\u001b|\\e)\]0;pwned/)
    })
  }

  it('sidecar-config -o json and route dry-run --json: valid JSON with the very same name, no raw control character', async () => {
    for (const args of [['sidecar-config', '-o', 'json'], ['route', 'dry-run', '--host', HOST, '--json']]) {
      const r = await runCli([...args, '--config-dump', file])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).not.toMatch(RAW_CONTROL)
      expect(r.stdout).toContain(JSON.stringify(EVIL).slice(1, -1).replace('\u009b', '\\u009b'))
    }
    const doc = JSON.parse((await runCli(['sidecar-config', '-o', 'json', '--config-dump', file])).stdout)
    expect(JSON.stringify(doc)).toContain(JSON.stringify(EVIL))
  })

  it('with colour forced, our colours stay and nothing else escapes', async () => {
    const r = await runCli(['route', 'dry-run', '--host', HOST, '--config-dump', file], {env: {FORCE_COLOR: '1'}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/\u001b\[[0-9;]*m/) // our palette
    expect(r.stdout).not.toMatch(NON_SGR_ESCAPE)
  })

  it('an error message quoting a name with control characters is escaped too', async () => {
    const r = await runCli(['route', 'dry-run', '--config-dump', file, '--host', `${HOST}\u001b[2J`])
    expect(r.code).not.toBe(0)
    expect(r.stderr).not.toMatch(RAW_CONTROL)
  })
})
