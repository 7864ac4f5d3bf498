// What app-log does, decided from the flags once (the library never sees raw flags, as in stern's Config).
import type {OutputFormat} from './format.js'
import type {ContainerChoice} from './targets.js'
import type {UserPattern} from '../re2/user-pattern.js'

export interface AppLogOptions {
  /** The namespace (with several, the first: resource queries and the tally need one). */
  namespace: string
  /** stern's -A and several -n: every namespace ('all'), or these (two or more); undefined: `namespace` alone. */
  namespaces?: 'all' | string[]
  /** Regular expression on pod names (or pod/NAME); undefined with only a selector. */
  app?: string
  selector?: string
  containers: ContainerChoice
  follow: boolean
  tailLines?: number
  sinceSeconds?: number
  sinceTime?: string
  timestamps: boolean
  include: UserPattern[]
  exclude: UserPattern[]
  output: OutputFormat
  /** Concurrent log streams at most. */
  maxLogRequests: number
  tally: boolean
  color: boolean
  /** Redraw a live tally line under the log (stdout is a terminal, following). */
  footer: boolean
  /** How often the configured split is read again while following (default 2000 ms). */
  configPollMs?: number
}

/** stern's defaults: 50 streams when following, 5 for a one-off read (kubectl's default). */
export function defaultMaxLogRequests(follow: boolean): number {
  return follow ? 50 : 5
}
