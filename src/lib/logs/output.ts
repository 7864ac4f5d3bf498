// The two output streams: log lines to stdout (with backpressure), notes and pod events to stderr, and on a
// terminal an optional footer line kept below the log lines (cleared and redrawn around every write).

export interface OutStream {
  write(chunk: string): boolean
  once(event: 'drain', fn: () => void): unknown
  isTTY?: boolean
  columns?: number
}

const CLEAR_LINE = '\r\u001b[2K'
const FOOTER_EVERY_MS = 200

export class Output {
  private footer = ''
  private footerText: (() => string) | undefined
  private footerShown = false
  private redrawTimer: NodeJS.Timeout | undefined
  private drain: Promise<void> | undefined

  /** `footerEnabled` only when stdout is a terminal: the footer is redrawn in place. */
  constructor(readonly stdout: OutStream, readonly stderr: OutStream, private footerEnabled = false) {}

  /** Writes log text; resolves when stdout can take more (undefined when it already can). */
  write(text: string): Promise<void> | undefined {
    if (this.drain) return this.drain.then(() => this.write(text))
    const ok = this.stdout.write(this.footerShown ? `${CLEAR_LINE}${text}${this.footer}` : text)
    if (ok) return undefined
    this.drain = new Promise<void>((resolve) => this.stdout.once('drain', () => { this.drain = undefined; resolve() }))
    return this.drain
  }

  note(text: string): void {
    const line = text.endsWith('\n') ? text : `${text}\n`
    if (this.footerShown) {
      this.stdout.write(CLEAR_LINE)
      this.stderr.write(line)
      this.stdout.write(this.footer)
    } else {
      this.stderr.write(line)
    }
  }

  /** The footer is computed when it is drawn (at most every 200 ms), not for every line. */
  setFooter(text: () => string): void {
    if (!this.footerEnabled) return
    this.footerText = text
    if (this.redrawTimer) return
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined
      if (this.drain || !this.footerText) return
      // One terminal row: a wrapped footer could not be cleared with a carriage return.
      const width = Math.max(10, (this.stdout.columns || 120) - 1)
      const text = this.footerText()
      this.footer = text.length > width ? `${text.slice(0, width - 1)}…` : text
      this.stdout.write(`${CLEAR_LINE}${this.footer}`)
      this.footerShown = true
    }, FOOTER_EVERY_MS)
  }

  clearFooter(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer)
    this.redrawTimer = undefined
    if (this.footerShown) this.stdout.write(CLEAR_LINE)
    this.footerShown = false
  }

  /** Resolves once stdout has drained. */
  async flushed(): Promise<void> {
    while (this.drain) await this.drain
  }
}
