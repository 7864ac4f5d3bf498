// Server timestamps (RFC3339Nano, always requested so a dropped stream can resume) and the resume cursor.

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/

/** A key that sorts like the instant: "YYYY-MM-DDTHH:MM:SS.nnnnnnnnn" (UTC). Undefined when unparsable. */
export function timestampKey(ts: string): string | undefined {
  const m = RFC3339.exec(ts)
  if (m) return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}`
  const t = Date.parse(ts)
  if (Number.isNaN(t)) return undefined
  const iso = new Date(t).toISOString()
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000`
}

export interface StampedLine {
  /** As the server wrote it, e.g. 2026-11-26T17:00:00.123456789Z; '' when the line had none. */
  timestamp: string
  message: string
}

/** Splits "TIMESTAMP message" as written by the API server with timestamps=true. */
export function splitTimestamp(line: string): StampedLine {
  const i = line.indexOf(' ')
  if (i > 0 && line.charCodeAt(4) === 45 /* - */ && line.charCodeAt(10) === 84 /* T */) return {timestamp: line.slice(0, i), message: line.slice(i + 1)}
  return {timestamp: '', message: line}
}

/**
 * Where a stream got to: the last timestamp seen and how many lines carried it. A reconnect asks for
 * sinceTime = that second (the API server passes sinceTime on with second precision), then drops what it
 * already delivered: earlier instants, and the first `count` lines at the last instant (as stern does).
 */
export class ResumeCursor {
  private lastKey: string | undefined
  private lastTimestamp = ''
  private count = 0
  private skipKey: string | undefined
  private skipLeft = 0

  get position(): string | undefined {
    return this.lastKey === undefined ? undefined : this.lastTimestamp
  }

  /** sinceTime for the next request, truncated to the second; undefined before the first line. */
  sinceTime(): string | undefined {
    return this.lastKey === undefined ? undefined : `${this.lastKey.slice(0, 19)}Z`
  }

  /** Arms the filter for the stream that is about to be opened. */
  beginResume(): void {
    this.skipKey = this.lastKey
    this.skipLeft = this.count
  }

  /** True when the line is new (and records it); false when a resumed stream repeats it. */
  accept(timestamp: string): boolean {
    const key = timestamp ? timestampKey(timestamp) : undefined
    if (key === undefined) return true
    if (this.skipKey !== undefined) {
      if (key < this.skipKey) return false
      if (key === this.skipKey && this.skipLeft > 0) { this.skipLeft--; return false }
      this.skipKey = undefined
    }
    if (key === this.lastKey) this.count++
    else { this.lastKey = key; this.lastTimestamp = timestamp; this.count = 1 }
    return true
  }
}
