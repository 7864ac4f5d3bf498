// The state behind the progress display: one status line per component, observable by a renderer (an ink view on a
// terminal, plain lines when piped). The install logic only ever talks to this model.

export type LineStatus = 'pending' | 'working' | 'done' | 'failed' | 'skipped'

export interface StatusLine {
  key: string
  label: string
  status: LineStatus
  detail: string
}

export class ProgressModel {
  private lines: StatusLine[] = []
  private listeners = new Set<() => void>()

  add(key: string, label: string, detail = 'waiting'): void {
    if (this.lines.some(l => l.key === key)) return
    this.lines = [...this.lines, {key, label, status: 'pending', detail}]
    this.emit()
  }

  set(key: string, status: LineStatus, detail: string): void {
    const i = this.lines.findIndex(l => l.key === key)
    if (i < 0) return
    const old = this.lines[i]
    if (old.status === status && old.detail === detail) return
    // A new array on every change: React's useSyncExternalStore compares snapshots by identity.
    this.lines = this.lines.map((l, j) => (j === i ? {...l, status, detail} : l))
    this.emit()
  }

  get(key: string): StatusLine | undefined {
    return this.lines.find(l => l.key === key)
  }

  snapshot = (): StatusLine[] => this.lines

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(): void {
    for (const fn of this.listeners) fn()
  }
}

export const SYMBOL: Record<LineStatus, string> = {pending: ' ', working: '-', done: '✔', failed: '✘', skipped: '·'}
