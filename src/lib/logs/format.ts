// One log line as a table row (pod prefix in a stable colour; 'text' is the same), raw (the message only), JSON
// ({pod, container, namespace, timestamp, message}, one object per line) or YAML (one document per line).
// Prefixes are built once per container: the per-line work is a concatenation.
import type {ChalkInstance} from 'chalk'
import {dump} from 'js-yaml'
import type {UserPattern} from '../re2/user-pattern.js'

export type OutputFormat = 'table' | 'text' | 'raw' | 'json' | 'yaml'

export interface LogRecord {
  pod: string
  container: string
  namespace: string
  timestamp: string
  message: string
}

/** FNV-1a (32 bit): the same pod gets the same colour in every run, as in stern. */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

const COLOURS = ['cyan', 'green', 'magenta', 'yellow', 'blue', 'red'] as const

export interface FormatOptions {
  format: OutputFormat
  timestamps: boolean
  /** Show the container after the pod (more than one container per pod is tailed). */
  showContainer: boolean
  /** Show the namespace before the pod (several namespaces are tailed: -A or several -n, as stern does). */
  showNamespace?: boolean
  chalk: ChalkInstance
}

export class LineFormatter {
  private prefixes = new Map<string, string>()

  constructor(private o: FormatOptions) {}

  private prefix(pod: string, container: string, namespace: string): string {
    const key = `${namespace}\u0000${pod}\u0000${container}`
    let p = this.prefixes.get(key)
    if (p === undefined) {
      const paint = this.o.chalk[COLOURS[fnv32a(pod) % COLOURS.length]]
      p = (this.o.showNamespace ? `${this.o.chalk.dim(namespace)} ` : '') + paint(pod) + (this.o.showContainer ? ` ${this.o.chalk.dim(container)}` : '') + ' '
      this.prefixes.set(key, p)
    }
    return p
  }

  format(r: LogRecord): string {
    switch (this.o.format) {
      case 'json': return `${JSON.stringify({pod: r.pod, container: r.container, namespace: r.namespace, timestamp: r.timestamp, message: r.message})}\n`
      case 'yaml': return `---\n${dump({pod: r.pod, container: r.container, namespace: r.namespace, timestamp: r.timestamp, message: r.message}, {lineWidth: -1})}`
      case 'raw': return this.o.timestamps ? `${r.timestamp} ${r.message}\n` : `${r.message}\n`
      default: return `${this.prefix(r.pod, r.container, r.namespace)}${this.o.timestamps ? `${r.timestamp} ` : ''}${r.message}\n`
    }
  }

  /** "+ pod › container" / "- pod › container" for stderr ("+ namespace › pod › container" with showNamespace). */
  event(sign: '+' | '-', pod: string, container: string, namespace?: string): string {
    const paint = this.o.chalk[COLOURS[fnv32a(pod) % COLOURS.length]]
    return `${sign} ${this.o.showNamespace && namespace ? `${namespace} › ` : ''}${paint(pod)} › ${container}\n`
  }
}

/** --include / --exclude: regular expressions on the message (not the prefix), as in stern. */
export function lineFilter(include: UserPattern[], exclude: UserPattern[]): ((message: string) => boolean) | undefined {
  if (include.length === 0 && exclude.length === 0) return undefined
  return (m) => (include.length === 0 || include.some((re) => re.test(m))) && !exclude.some((re) => re.test(m))
}
