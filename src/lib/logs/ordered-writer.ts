// Without -f, each pod's lines are printed together, pods in name order, while several logs are read at once:
// the first unfinished log writes through, the later ones are held until it is done.
import type {Output} from './output.js'

export class OrderedWriter {
  private held: string[][]
  private done: boolean[]
  private head = 0
  private finishing = false

  constructor(private out: Output, count: number) {
    this.held = Array.from({length: count}, () => [])
    this.done = Array(count).fill(false)
  }

  write(index: number, text: string): Promise<void> | undefined {
    if (index === this.head) return this.out.write(text)
    this.held[index].push(text)
    return undefined
  }

  async finish(index: number): Promise<void> {
    this.done[index] = true
    if (index !== this.head || this.finishing) return
    this.finishing = true
    while (this.head < this.done.length && this.done[this.head]) {
      const next = this.head + 1
      // Lines that arrive while held ones are written are held too, so the order is kept.
      while (next < this.held.length && this.held[next].length > 0) {
        const batch = this.held[next]
        this.held[next] = []
        for (const text of batch) await this.out.write(text)
      }
      this.head = next
    }
    this.finishing = false
  }
}
