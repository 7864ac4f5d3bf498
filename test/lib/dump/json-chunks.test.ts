import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {generateConfigDump, prettyJsonChunks} from '../../../src/lib/dump/index.js'

describe('prettyJsonChunks', () => {
  it('joins to exactly JSON.stringify(value, null, indent) for any JSON value, indent and depth', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({min: 0, max: 4}), fc.integer({min: 0, max: 6}), (value, indent, depth) => {
        expect([...prettyJsonChunks(value, indent, depth)].join('')).toBe(JSON.stringify(value, null, indent))
      }),
      {numRuns: 300},
    )
  })

  it('matches for a generated dump and skips undefined like JSON.stringify', () => {
    const dump = generateConfigDump({tables: [], podName: 'p', namespace: 'n', podIp: '1.2.3.4', services: [{host: 'h.n.svc.cluster.local', port: 9090, clusterIp: '10.0.0.1', applicationProtocol: 'thrift'}]})
    const chunks = [...prettyJsonChunks(dump)]
    expect(chunks.join('')).toBe(JSON.stringify(dump, null, 2))
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(16_000)
    const odd = {a: undefined, b: [undefined, 1], c: new Date(0)}
    expect([...prettyJsonChunks(odd)].join('')).toBe(JSON.stringify(odd, null, 2))
  })
})
