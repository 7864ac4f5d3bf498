// Resuming after the last delivered line, when the server answers sinceTime with whole seconds (the API
// server passes sinceTime on to the kubelet at second precision) and several lines share one instant.
import {describe, expect, it} from 'vitest'
import {ResumeCursor, splitTimestamp, timestampKey} from '../../../src/lib/logs/timestamp.js'

describe('timestamps', () => {
  it('orders RFC3339 times whatever their fraction length (kubelet trims trailing zeros)', () => {
    const keys = ['2026-11-26T17:00:00Z', '2026-11-26T17:00:00.05Z', '2026-11-26T17:00:00.1Z', '2026-11-26T17:00:00.123456789Z', '2026-11-26T17:00:01.000000001Z']
      .map((t) => timestampKey(t)!)
    expect([...keys].sort()).toEqual(keys)
    expect(timestampKey('2026-11-26T17:00:00.100Z')).toBe(timestampKey('2026-11-26T17:00:00.1Z'))
    expect(timestampKey('2026-11-26T18:00:00+01:00')).toBe(timestampKey('2026-11-26T17:00:00Z'))
    expect(timestampKey('yesterday')).toBeUndefined()
  })

  it('splits the server timestamp from the message', () => {
    expect(splitTimestamp('2026-11-26T17:00:00.5Z hello world')).toEqual({timestamp: '2026-11-26T17:00:00.5Z', message: 'hello world'})
    expect(splitTimestamp('no timestamp here')).toEqual({timestamp: '', message: 'no timestamp here'})
  })
})

describe('ResumeCursor', () => {
  const at = (s: string) => `2026-11-26T17:00:${s}Z`
  it('skips what a resumed stream repeats: earlier instants, then as many lines at the last instant as were seen', () => {
    const c = new ResumeCursor()
    expect(c.sinceTime()).toBeUndefined()
    for (const t of [at('04.9'), at('05.1'), at('05.3'), at('05.3')]) expect(c.accept(t)).toBe(true)
    expect(c.position).toBe(at('05.3'))
    expect(c.sinceTime()).toBe('2026-11-26T17:00:05Z')
    c.beginResume()
    // The server starts again at 17:00:05 (whole second): 05.1 and two lines at 05.3 were printed already.
    const again = [at('05.1'), at('05.3'), at('05.3'), at('05.3'), at('05.7')].map((t) => c.accept(t))
    expect(again).toEqual([false, false, false, true, true])
    expect(c.position).toBe(at('05.7'))
  })

  it('survives a second cut before anything new arrived', () => {
    const c = new ResumeCursor()
    c.accept(at('01.0'))
    c.accept(at('01.0'))
    c.beginResume()
    expect(c.accept(at('01.0'))).toBe(false)
    c.beginResume()
    expect([at('01.0'), at('01.0'), at('01.0')].map((t) => c.accept(t))).toEqual([false, false, true])
  })
})
