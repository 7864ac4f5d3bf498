// The progress display: plain lines when piped (one per change, no repeats, no escape codes), the ink view on a TTY.
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {ProgressModel} from '../../../src/lib/install/progress/model.js'
import {startPlainRenderer} from '../../../src/lib/install/progress/plain.js'
import {startProgress} from '../../../src/lib/install/progress/index.js'
import {distImport, runModuleScript} from '../../support/cli.js'

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
  // In a process of its own: ink hides the cursor on a terminal, and cli-cursor then writes "show cursor" to the
  // process's real stderr at exit. Rendered in a test worker, that escape landed after the run's summary line.
  it('draws every component line on a terminal, clears the view at the end, and gives the cursor back at exit', async () => {
    const child = `import {PassThrough} from 'node:stream'
import {ProgressModel} from ${distImport('lib/install/progress/model.js')}
import {startProgress} from ${distImport('lib/install/progress/index.js')}
const stream = new PassThrough()
let text = ''
stream.on('data', (b) => (text += b.toString()))
Object.assign(stream, {isTTY: true, columns: 100, rows: 40})
const model = new ProgressModel()
const r = await startProgress(model, stream, {TERM: 'xterm'})
;(${script.toString()})(model)
// ink renders on its own schedule: wait for the write that holds the frame with the final state.
const done = /✔ +meta-thrift deployments +3 created, 3\\/3 Deployments available/
await new Promise((resolve) => {
  const check = () => { if (done.test(text)) { stream.off('data', check); resolve() } }
  stream.on('data', check)
  check()
})
const live = text
await r.stop()
process.stdout.write(JSON.stringify({live, final: text}))`
    // ink only redraws live when it does not think it runs in CI (is-in-ci reads these two).
    const env = {...process.env}
    delete env.CI
    delete env.CONTINUOUS_INTEGRATION
    const {stdout, stderr} = await runModuleScript(child, {env, timeout: 50_000})
    const {live, final} = JSON.parse(stdout) as {live: string; final: string}
    expect(live).toContain('meta-thrift namespace')
    expect(live).toMatch(/✔ +meta-thrift deployments +3 created, 3\/3 Deployments available/)
    expect(final.length).toBeGreaterThan(live.length) // the clear at the end
    expect(stderr).toContain('\u001b[?25h')
  }, 60_000)
})
