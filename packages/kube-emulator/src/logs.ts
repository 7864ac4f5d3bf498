// Per-container log buffers with live subscribers, the source of pods/log.
export interface LogLine {
  time: Date
  text: string
}

type Listener = (line: LogLine) => void

const MAX_LINES = 20_000

export class LogBuffer {
  readonly lines: LogLine[] = []
  private listeners = new Set<Listener>()
  private closers = new Set<() => void>()

  push(text: string, time = new Date()): void {
    const line = {time, text}
    this.lines.push(line)
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES)
    for (const l of this.listeners) l(line)
  }

  /** Follows new lines; `onClose` fires when the container goes away. Returns an unsubscribe function. */
  follow(listener: Listener, onClose: () => void): () => void {
    this.listeners.add(listener)
    this.closers.add(onClose)
    return () => { this.listeners.delete(listener); this.closers.delete(onClose) }
  }

  close(): void {
    for (const c of [...this.closers]) c()
    this.listeners.clear()
    this.closers.clear()
  }
}

export class Logs {
  private buffers = new Map<string, LogBuffer>()

  private key(ns: string, pod: string, container: string) { return `${ns}/${pod}/${container}` }

  buffer(ns: string, pod: string, container: string): LogBuffer {
    const k = this.key(ns, pod, container)
    let b = this.buffers.get(k)
    if (!b) { b = new LogBuffer(); this.buffers.set(k, b) }
    return b
  }

  dropPod(ns: string, pod: string): void {
    for (const [k, b] of this.buffers) if (k.startsWith(`${ns}/${pod}/`)) { b.close(); this.buffers.delete(k) }
  }

  closeAll(): void {
    for (const b of this.buffers.values()) b.close()
    this.buffers.clear()
  }
}
