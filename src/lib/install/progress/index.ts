// Picks the progress renderer for a stream: the ink view on a terminal, plain lines otherwise.
import {wantsColor} from '../../render/style.js'
import type {ProgressModel} from './model.js'
import {startPlainRenderer, type Renderer} from './plain.js'

export {ProgressModel} from './model.js'
export type {Renderer} from './plain.js'

export async function startProgress(model: ProgressModel, stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Promise<Renderer> {
  const color = wantsColor(stream, env)
  if (stream.isTTY && env.TERM !== 'dumb') {
    const {startInkRenderer} = await import('./ink-view.js')
    return startInkRenderer(model, stream, color)
  }
  return startPlainRenderer(model, text => stream.write(text), color)
}
