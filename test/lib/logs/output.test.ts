// The terminal footer: drawn below the log lines, cleared and redrawn around every write, one row wide.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {Output} from '../../../src/lib/logs/output.js'
import {Captured} from './helpers.js'

const CLEAR = '\r\u001b[2K'
// The footer is redrawn on a 200 ms timer: fake timers step past it.
const tick = () => vi.advanceTimersByTimeAsync(250)

describe('Output', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('keeps the footer under the log lines and notes, and clears it at the end', async () => {
    const stdout = Object.assign(new Captured(), {isTTY: true, columns: 40}), stderr = new Captured()
    const out = new Output(stdout, stderr, true)
    out.write('line 1\n')
    let n = 0
    out.setFooter(() => `tally: n=${++n}`)
    out.setFooter(() => `tally: n=${++n}`)
    await tick()
    expect(stdout.text).toBe(`line 1\n${CLEAR}tally: n=1`)
    out.write('line 2\n')
    out.note('+ pod › app')
    expect(stdout.text).toBe(`line 1\n${CLEAR}tally: n=1${CLEAR}line 2\ntally: n=1${CLEAR}tally: n=1`)
    expect(stderr.text).toBe('+ pod › app\n')
    out.setFooter(() => 'x'.repeat(100))
    await tick()
    expect(stdout.text.endsWith(`${CLEAR}${'x'.repeat(38)}…`)).toBe(true)
    out.clearFooter()
    expect(stdout.text.endsWith(CLEAR)).toBe(true)
  })

  it('draws nothing when the footer is off (piped)', async () => {
    const stdout = new Captured(), stderr = new Captured()
    const out = new Output(stdout, stderr, false)
    out.setFooter(() => 'tally')
    out.write('line\n')
    await tick()
    out.clearFooter()
    expect(stdout.text).toBe('line\n')
  })
})
