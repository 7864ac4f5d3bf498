// The model of `sidecar-config -i` without a terminal: rows, JSONPaths --jsonpath takes back, search, the jump to
// the MetaProtocol routes, and keys typed faster than the screen redraws.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {CONFIG_DUMPS} from '../../support/fixtures.js'
import {applyJsonPath} from '../../../src/lib/sidecar/view.js'
import {initialState, onKeys, reduce, selectedPath, type ViewerState} from '../../../src/lib/sidecar/viewer/state.js'
import {jsonPathOf, metaProtocolRoutesPath, search, summary, visibleRows} from '../../../src/lib/sidecar/viewer/tree.js'

const dump = JSON.parse(readFileSync(join(CONFIG_DUMPS, 'thrift-client-config-dump.json'), 'utf8'))
const typed = (s: ViewerState, text: string) => onKeys(s, {type: 'keys', input: text, key: {}})

describe('viewer tree', () => {
  it('names the sections by @type and containers by size or name', () => {
    const rows = visibleRows(dump, new Set(['.configs']))
    expect(rows[0]).toMatchObject({path: ['configs'], expandable: true, expanded: true})
    expect(rows.slice(1).map(summary)).toContain('RoutesConfigDump (aeraki.meta_protocol_proxy.admin.v1alpha)')
    expect(rows.slice(1).map(summary)).toContain('BootstrapConfigDump (envoy.admin.v3)')
  })

  it('writes JSONPaths that --jsonpath reads back to the same node', () => {
    const path = ['configs', 3, '@type'] as const
    expect(jsonPathOf(path)).toBe('$.configs[3]["@type"]')
    expect(applyJsonPath(dump, jsonPathOf(path))).toEqual([dump.configs[3]['@type']])
    expect(jsonPathOf(['a-b', 0, 'ok_1'])).toBe('$["a-b"][0].ok_1')
  })

  it('searches keys and scalar values as plain text, any case, in document order', () => {
    const hits = search(dump, 'SAYHELLO').paths
    expect(hits.length).toBeGreaterThan(0)
    for (const p of hits) expect(JSON.stringify(applyJsonPath(dump, jsonPathOf(p)))).toMatch(/sayhello/i)
    // No pattern syntax: ".*" is two characters to find, not "anything".
    expect(search(dump, '.*').paths).toEqual([])
    expect(search(dump, 'a', 3)).toMatchObject({truncated: true, paths: {length: 3}})
  })

  it('finds the MetaProtocol routes by @type', () => {
    const path = metaProtocolRoutesPath(dump)!
    expect(dump.configs[path[1] as number]['@type']).toMatch(/aeraki\.meta_protocol_proxy\.admin\.v1alpha\.RoutesConfigDump$/)
    expect(path.slice(2)).toEqual(['dynamic_route_configs', 0, 'route_config', 'routes'])
    expect(metaProtocolRoutesPath({configs: dump.configs.filter((_: unknown, i: number) => i !== path[1])})).toBeUndefined()
  })
})

describe('viewer keys', () => {
  it('opens, closes and climbs to the parent', () => {
    let s = initialState(dump, 10)
    expect(selectedPath(s)).toBe('$.configs')
    s = reduce(reduce(s, {type: 'down'}), {type: 'expand'})
    expect(s.rows[s.cursor].expanded).toBe(true)
    s = reduce(s, {type: 'expand'}) // already open: into its first child
    expect(selectedPath(s)).toBe('$.configs[0]["@type"]')
    s = reduce(s, {type: 'collapse'}) // a value: to its parent
    expect(selectedPath(s)).toBe('$.configs[0]')
    s = reduce(s, {type: 'collapse'})
    expect(s.rows[s.cursor].expanded).toBe(false)
  })

  it('takes "/sayHello⏎n" arriving in one chunk as a search, then the next match', () => {
    let s = typed(initialState(dump, 10), '/sayHello\r')
    expect(s.mode).toBe('browse')
    expect(s.message).toMatch(/^match 1 of \d+ for "sayHello"/)
    expect(selectedPath(s)).toMatch(/\.exact_match$/)
    const first = selectedPath(s)
    s = typed(s, 'n')
    expect(s.match).toBe(s.matches.length > 1 ? 1 : 0)
    if (s.matches.length === 1) expect(selectedPath(s)).toBe(first)
    // The selected row is on screen.
    expect(s.cursor).toBeGreaterThanOrEqual(s.top)
    expect(s.cursor).toBeLessThan(s.top + s.height)
  })

  it('says when nothing matches, Escape leaves a search being typed, q quits and Ctrl-C interrupts', () => {
    expect(typed(initialState(dump, 10), '/no such thing\r').message).toBe('no match for "no such thing"')
    const cancelled = typed(typed(initialState(dump, 10), '/abc'), '\u001b')
    expect(cancelled).toMatchObject({mode: 'browse', quit: false})
    expect(typed(initialState(dump, 10), 'q')).toMatchObject({quit: true, interrupted: false})
    expect(onKeys(initialState(dump, 10), {type: 'keys', input: 'c', key: {ctrl: true}})).toMatchObject({quit: true, interrupted: true})
  })

  it('m jumps to the MetaProtocol routes and keeps the cursor on screen in a small window', () => {
    const s = reduce(initialState(dump, 3), {type: 'metaprotocol'})
    expect(selectedPath(s)).toMatch(/^\$\.configs\[\d+\]\.dynamic_route_configs\[0\]\.route_config\.routes$/)
    expect(s.rows[s.cursor].expanded).toBe(true)
    expect(s.cursor - s.top).toBeLessThan(3)
    expect(reduce(initialState({configs: []}, 3), {type: 'metaprotocol'}).message).toMatch(/no MetaProtocol routes/)
  })
})
