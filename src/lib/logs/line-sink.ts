// The Writable that client-node's Log pipes a response into. It splits the bytes into lines and tells a clean
// end (the server finished the response) from a cut (the socket died mid-stream): client-node pipes the body
// without passing its errors on, so the source is found through the 'pipe' event.
import {StringDecoder} from 'node:string_decoder'
import {Writable, type Readable} from 'node:stream'

export type StreamOutcome = {kind: 'end'} | {kind: 'cut'; reason: string}

export interface LineSinkHandlers {
  /** Whole lines of one chunk; a returned promise holds the source back (backpressure). */
  onLines(lines: string[]): void | Promise<void>
}

export class LineSink extends Writable {
  private decoder = new StringDecoder('utf8')
  private partial = ''
  private cutReason: string | undefined
  readonly outcome: Promise<StreamOutcome>
  private settle!: (o: StreamOutcome) => void

  constructor(private handlers: LineSinkHandlers) {
    super({highWaterMark: 64 * 1024})
    this.outcome = new Promise((resolve) => (this.settle = resolve))
    this.on('pipe', (src: Readable) => {
      src.once('error', (e: Error) => {
        // A line cut in half is dropped: the resumed stream delivers it whole.
        this.cutReason = e.message || String(e)
        src.unpipe(this)
        if (!this.writableEnded) this.end()
      })
    })
    this.on('error', (e) => this.settle({kind: 'cut', reason: e.message}))
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const text = this.partial + this.decoder.write(chunk)
    const last = text.lastIndexOf('\n')
    if (last < 0) { this.partial = text; cb(); return }
    this.partial = text.slice(last + 1)
    const lines = text.slice(0, last).split('\n')
    let pending: void | Promise<void>
    try {
      pending = this.handlers.onLines(lines)
    } catch (e) {
      cb(e as Error)
      return
    }
    if (pending) pending.then(() => cb(), cb)
    else cb()
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.cutReason !== undefined) {
      this.settle({kind: 'cut', reason: this.cutReason})
      cb()
      return
    }
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    const done = () => { this.settle({kind: 'end'}); cb() }
    if (!rest) { done(); return }
    const pending = this.handlers.onLines([rest])
    if (pending) pending.then(done, cb)
    else done()
  }
}
