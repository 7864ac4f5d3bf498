// Progress for pipes and logs: one line per change of a component's state, never a repeat, no cursor codes
// (istioctl's non-TTY mode). Colour only when wanted (NO_COLOR and non-terminals get none).
import {palette} from '../../render/style.js'
import type {ProgressModel, StatusLine} from './model.js'
import {SYMBOL} from './model.js'

export interface Renderer {
  stop(): Promise<void>
}

export function formatPlainLine(l: StatusLine, color: boolean): string {
  const c = palette(color)
  const sym = l.status === 'done' ? c.green(SYMBOL.done) : l.status === 'failed' ? c.red(SYMBOL.failed) : SYMBOL[l.status]
  return `${sym} ${l.label}: ${l.detail}`
}

export function startPlainRenderer(model: ProgressModel, write: (text: string) => void, color: boolean): Renderer {
  const printed = new Map<string, string>()
  const flush = () => {
    for (const l of model.snapshot()) {
      if (l.status === 'pending' || l.status === 'skipped') continue
      const line = formatPlainLine(l, color)
      if (printed.get(l.key) === line) continue
      printed.set(l.key, line)
      write(`${line}\n`)
    }
  }
  const unsubscribe = model.subscribe(flush)
  flush()
  return {
    async stop() {
      unsubscribe()
      flush()
    },
  }
}
