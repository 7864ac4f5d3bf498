// turnGate: app-log starts at most N log requests per event-loop turn, so the answers to the first ones are read
// between the turns in which later ones open (instead of after all of them).
import {describe, expect, it} from 'vitest'
import {turnGate} from '../../../src/lib/logs/session.js'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))
const settle = async () => { for (let i = 0; i < 10; i++) await Promise.resolve() }

describe('turnGate', () => {
  it('lets perTurn callers through per turn, in call order, and the rest in later turns', async () => {
    const gate = turnGate(3)
    const passed: number[] = []
    const all = Array.from({length: 8}, (_, i) => gate().then(() => passed.push(i)))
    await settle()
    expect(passed).toEqual([0, 1, 2])
    await nextTurn()
    await settle()
    expect(passed).toEqual([0, 1, 2, 3, 4, 5])
    await nextTurn()
    await settle()
    expect(passed).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    await Promise.all(all)
  })

  it('does not hold a caller when fewer than perTurn came in this turn', async () => {
    const gate = turnGate(2)
    let done = false
    void gate().then(() => (done = true))
    await settle()
    expect(done).toBe(true)
    // a later turn starts with a fresh allowance
    await nextTurn()
    const passed: number[] = []
    for (let i = 0; i < 2; i++) void gate().then(() => passed.push(i))
    await settle()
    expect(passed).toEqual([0, 1])
  })
})
