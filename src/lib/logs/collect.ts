// --json for the log commands: the one-object-per-line JSON the formatter writes, collected into one document
// printed when the command ends (the streams stay one object per line with -o json).
import type {LogRecord} from './format.js'
import type {OutStream} from './output.js'

export class CollectedLines implements OutStream {
  readonly lines: LogRecord[] = []
  private partial = ''
  write(chunk: string): boolean {
    const parts = (this.partial + chunk).split('\n')
    this.partial = parts.pop()!
    for (const p of parts) if (p) this.lines.push(JSON.parse(p))
    return true
  }
  once(): this {
    return this
  }
}
