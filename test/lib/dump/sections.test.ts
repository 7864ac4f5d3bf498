// `--section` selection by @type (config-dump.md §1.2, §4.2).

import {describe, expect, it} from 'vitest'
import {DUMP_SECTIONS, selectSections} from '../../../src/lib/dump/index.js'
import {fixtureJson, METHOD_V1, shuffled} from './fixtures.js'

const short = (configs: unknown[]) => configs.map((c) => String((c as Record<string, unknown>)['@type']).split('.').pop())

describe('selectSections on the fixture', () => {
  it('selects each section by @type, whatever the order', () => {
    const json = fixtureJson(METHOD_V1)
    for (const dump of [json, {configs: shuffled(json.configs, 7)}]) {
      expect(short(selectSections(dump, 'bootstrap').configs)).toEqual(['BootstrapConfigDump'])
      expect(short(selectSections(dump, 'clusters').configs)).toEqual(['ClustersConfigDump'])
      expect(short(selectSections(dump, 'listeners').configs)).toEqual(['ListenersConfigDump'])
      expect(short(selectSections(dump, 'secrets').configs)).toEqual(['SecretsConfigDump'])
      expect(short(selectSections(dump, 'routes').configs).sort()).toEqual(['RoutesConfigDump', 'RoutesConfigDump', 'ScopedRoutesConfigDump'])
      expect(selectSections(dump, 'all').configs).toEqual(dump.configs)
    }
  })

  it('`metaprotocol` gives the Aeraki section and the one MetaProtocol listener, no static listeners', () => {
    const selected = selectSections(fixtureJson(METHOD_V1), 'metaprotocol').configs as Array<Record<string, any>>
    expect(selected.map((c) => c['@type'])).toEqual([
      'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
      'type.googleapis.com/aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump',
    ])
    expect(selected[0].dynamic_listeners.map((l: {name: string}) => l.name)).toEqual(['10.98.211.57_9090'])
    expect(selected[0]).not.toHaveProperty('static_listeners')
  })

  it('keeps unknown @types only in `all`', () => {
    const json = fixtureJson(METHOD_V1)
    const dump = {configs: [...json.configs, {'@type': 'type.googleapis.com/example.FutureConfigDump'}]}
    expect(selectSections(dump, 'all').configs).toHaveLength(8)
    for (const section of DUMP_SECTIONS.filter((s) => s !== 'all')) {
      expect(short(selectSections(dump, section).configs)).not.toContain('FutureConfigDump')
    }
  })
})
