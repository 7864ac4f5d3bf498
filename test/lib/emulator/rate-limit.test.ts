import {describe, expect, it} from 'vitest'
import {LocalRateLimits} from '../../../src/lib/playground/rate-limit.js'
import type {KubeObject} from '../../../src/lib/resources/types.js'

const server = (uid: string, sidecar = true): KubeObject => ({metadata: {name: uid, uid}, spec: {containers: [{name: 'app'}, ...(sidecar ? [{name: 'istio-proxy'}] : [])]}})
const router = (rv: string): KubeObject => ({
  kind: 'MetaRouter', metadata: {name: 'r', namespace: 'ns', uid: 'mr-uid', resourceVersion: rv},
  spec: {hosts: ['h'], localRateLimit: {
    tokenBucket: {fillInterval: '60s', maxTokens: 5, tokensPerFill: 5},
    conditions: [{match: {attributes: {method: {exact: 'sayHello'}}}, tokenBucket: {fillInterval: '30s', maxTokens: 2, tokensPerFill: 1}}],
  }},
})
const hello: Array<[string, string]> = [['method', 'sayHello']]
const other: Array<[string, string]> = [['method', 'ping']]

describe('local rate limits (per server pod, inbound)', () => {
  it('takes from the first matching condition, starts full, refills tokensPerFill per fillInterval', () => {
    const l = new LocalRateLimits()
    const s = server('a'), mr = router('1'), t0 = 1_000_000
    expect([0, 1, 2].map(() => l.take(s, mr, hello, 'thrift', t0).allowed)).toEqual([true, true, false])
    expect(l.take(s, mr, hello, 'thrift', t0).bucket).toBe('conditions[0]')
    expect(l.take(s, mr, hello, 'thrift', t0 + 29_999).allowed).toBe(false)
    expect(l.take(s, mr, hello, 'thrift', t0 + 30_000).allowed).toBe(true)
    expect(l.take(s, mr, hello, 'thrift', t0 + 30_001).allowed).toBe(false)
    expect(l.take(s, mr, hello, 'thrift', t0 + 120_000).allowed).toBe(true)
    expect(l.take(s, mr, hello, 'thrift', t0 + 120_000).allowed).toBe(true)
    expect(l.take(s, mr, hello, 'thrift', t0 + 120_000).allowed).toBe(false)
  })

  it('uses the default bucket for requests no condition matches, separately per server pod', () => {
    const l = new LocalRateLimits()
    const mr = router('1')
    const five = Array.from({length: 6}, () => l.take(server('a'), mr, other, 'thrift', 0))
    expect(five.map((d) => d.allowed)).toEqual([true, true, true, true, true, false])
    expect(five[0].bucket).toBe('tokenBucket')
    expect(l.take(server('b'), mr, other, 'thrift', 0).allowed).toBe(true)
  })

  it('starts over when the MetaRouter changes, and never limits pods without a sidecar', () => {
    const l = new LocalRateLimits()
    const s = server('a')
    for (let i = 0; i < 3; i++) l.take(s, router('1'), hello, 'thrift', 0)
    expect(l.take(s, router('1'), hello, 'thrift', 0).allowed).toBe(false)
    expect(l.take(s, router('2'), hello, 'thrift', 0).allowed).toBe(true)
    const bare = server('c', false)
    expect(Array.from({length: 5}, () => l.take(bare, router('1'), hello, 'thrift', 0).allowed).every(Boolean)).toBe(true)
  })
})
