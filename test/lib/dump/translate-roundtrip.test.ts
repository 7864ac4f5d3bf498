// End to end with the routing core: the route tables translated from Aeraki's own demo MetaRouters survive
// generateConfigDump → extractMetaProtocolRouteTables, which is what the emulator serves and `route verify` reads.

import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {extractMetaProtocolRouteTables, generateConfigDump} from '../../../src/lib/dump/index.js'
import {parseManifests} from '../../../src/lib/resources/parse.js'
import {translateAll} from '../../../src/lib/routing/translate.js'
import type {RouteTable} from '../../../src/lib/routing/types.js'
import {buildWorld} from '../../../src/lib/routing/world.js'

import {THRIFT_DEMO as demo} from '../../support/demo.js'
// The demo applies these files with `-n meta-thrift`; most of them name no namespace.
const load = (file: string) =>
  parseManifests(readFileSync(path.join(demo, file), 'utf8'), file).map((l) => {
    l.obj.metadata = {...l.obj.metadata, namespace: l.obj.metadata?.namespace ?? 'meta-thrift'}
    return l
  })

/** What a dump cannot carry: the MetaRouter source path of each route. */
function withoutSourcePaths(tables: RouteTable[]): RouteTable[] {
  return tables.map((t) => ({...t, routes: t.routes.map(({sourcePath: _s, ...r}) => r)}))
}

describe('demo MetaRouters through the dump', () => {
  // What each demo is about, so the round trip is known to carry it.
  const feature: Record<string, (t: RouteTable) => boolean> = {
    'metarouter-v1.yaml': (t) => t.routes[0].action.kind === 'cluster' && t.routes[0].matchers.length > 0,
    'metarouter-v2.yaml': (t) => t.routes[0].action.kind === 'cluster',
    'traffic-split.yaml': (t) => t.routes[0].action.kind === 'weighted',
    'metarouter-header-mutation.yaml': (t) => t.routes[0].requestMutation.length > 0,
    default: (t) => t.routes.length === 1 && t.routes[0].name === 'default',
  }
  for (const metaRouter of ['metarouter-v1.yaml', 'metarouter-v2.yaml', 'traffic-split.yaml', 'metarouter-header-mutation.yaml', null]) {
    it(`${metaRouter ?? 'no MetaRouter (default route)'}`, () => {
      const objects = [...load('thrift-sample.yaml'), ...load('destinationrule.yaml'), ...(metaRouter ? load(metaRouter) : [])]
      const tables = translateAll(buildWorld(objects))
      expect(tables.length).toBeGreaterThan(0)
      expect(tables.some(feature[metaRouter ?? 'default'])).toBe(true)
      const services = tables.map((t, i) => ({host: t.host, port: t.port, clusterIp: `10.98.211.${57 + i}`, applicationProtocol: t.applicationProtocol}))
      const dump = generateConfigDump({tables, podName: 'thrift-sample-client-6f9c7d8b5-x2k4p', namespace: 'meta-thrift', podIp: '172.17.0.95', services, versionInfo: '1717062067', lastUpdated: '2024-05-30T09:41:07.262Z'})
      const expected = withoutSourcePaths(tables).map((t) => ({...t, versionInfo: '1717062067', lastUpdated: '2024-05-30T09:41:07.262Z'}))
      expect(extractMetaProtocolRouteTables(JSON.stringify(dump))).toEqual(expected)
    })
  }
})
