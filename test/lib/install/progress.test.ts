// The progress display: plain lines when piped (one per change, no repeats, no escape codes), the ink view on a TTY.
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {ProgressModel} from '../../../src/lib/install/progress/model.js'
import {startPlainRenderer} from '../../../src/lib/install/progress/plain.js'
import {startProgress} from '../../../src/lib/install/progress/index.js'
import {until} from '../../support/wait.js'

// eslint-disable-next-line no-control-regex
const ESC = /\u001b/

function script(model: ProgressModel): void {
  model.add('ns', 'meta-thrift namespace')
  model.add('deploy', 'meta-thrift deployments')
  model.set('ns', 'working', 'applying')
  model.set('ns', 'working', 'applying') // a repeat
  model.set('deploy', 'working', '3 created, 0/3 Deployments available')
  model.set('ns', 'done', '1 created')
  model.set('deploy', 'working', '3 created, 0/3 Deployments available') // a repeat
  model.set('deploy', 'done', '3 created, 3/3 Deployments available')
}

function fakeStream(isTTY: boolean): NodeJS.WriteStream & {text(): string} {
  const s = new PassThrough() as any
  let text = ''
  s.on('data', (b: Buffer) => (text += b.toString()))
  Object.assign(s, {isTTY, columns: 100, rows: 40, text: () => text})
  return s
}

describe('plain progress', () => {
  it('prints one line per change, never a repeat, without escape codes', async () => {
    const model = new ProgressModel()
    const out: string[] = []
    const r = startPlainRenderer(model, t => out.push(t), false)
    script(model)
    await r.stop()
    expect(out.join('')).toBe([
      '- meta-thrift namespace: applying',
      '- meta-thrift deployments: 3 created, 0/3 Deployments available',
      '✔ meta-thrift namespace: 1 created',
      '✔ meta-thrift deployments: 3 created, 3/3 Deployments available',
      '',
    ].join('\n'))
  })

  it('is chosen for a stream that is not a terminal, and NO_COLOR wins over FORCE_COLOR', async () => {
    for (const env of [{NO_COLOR: '1', FORCE_COLOR: '1'}, {}]) {
      const model = new ProgressModel()
      const stream = fakeStream(false)
      const r = await startProgress(model, stream, env)
      script(model)
      model.add('x', 'broken')
      model.set('x', 'failed', 'nope')
      await r.stop()
      expect(stream.text()).toContain('✘ broken: nope')
      expect(stream.text()).not.toMatch(ESC)
    }
    // The contrast: colour is really produced when forced, so the test above can fail.
    const model = new ProgressModel()
    const stream = fakeStream(false)
    const r = await startProgress(model, stream, {FORCE_COLOR: '1'})
    script(model)
    await r.stop()
    expect(stream.text()).toMatch(ESC)
  })
})

describe('ink progress', () => {
  it('draws every component line on a terminal and clears the view at the end', async () => {
    const ci = process.env.CI
    delete process.env.CI // ink only redraws live when it does not think it runs in CI
    try {
      const model = new ProgressModel()
      const stream = fakeStream(true)
      const r = await startProgress(model, stream, {TERM: 'xterm'})
      script(model)
      // The live view draws the final state of the model (ink renders asynchronously, on its own schedule).
      await until(() => /✔ +meta-thrift deployments +3 created, 3\/3 Deployments available/.test(stream.text()), 'ink frame with the final state')
      const live = stream.text()
      await r.stop()
      expect(live).toContain('meta-thrift namespace')
      expect(live).toMatch(/✔ +meta-thrift deployments +3 created, 3\/3 Deployments available/)
      expect(stream.text().length).toBeGreaterThan(live.length) // the clear at the end
    } finally {
      if (ci !== undefined) process.env.CI = ci
    }
  })
})
