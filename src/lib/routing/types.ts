// The MetaProtocol route table model: what Aeraki pushes over RDS (spec §2) and what the proxy matches (spec §3).

export type MatcherKind = 'exact' | 'prefix' | 'regex' | 'present'

export interface AttributeMatcher {
  /** Attribute name as written (matching lower-cases it). */
  name: string
  kind: MatcherKind
  /** The pattern; absent for `present`. */
  value?: string
}

export interface WeightedCluster {
  name: string
  weight: number
}

export type RouteAction =
  | {kind: 'cluster'; cluster: string}
  | {kind: 'weighted'; clusters: WeightedCluster[]}

export interface MirrorPolicy {
  cluster: string
  /** Fraction numerator over a denominator of 1,000,000. */
  numerator: number
}

export interface KeyValue {
  key: string
  value: string
}

export interface RouteEntry {
  name: string
  matchers: AttributeMatcher[]
  action: RouteAction
  hashPolicy: string[]
  mirror: MirrorPolicy | null
  requestMutation: KeyValue[]
  responseMutation: KeyValue[]
  /** Path of the MetaRouter route this entry came from (`spec.routes[2]`), absent for the synthetic default. */
  sourcePath?: string
}

export interface RouteTable {
  /** `<host>_<port>` */
  name: string
  host: string
  port: number
  applicationProtocol: string
  routes: RouteEntry[]
  /** Rate-limit filter settings of the listener that holds the table (inbound inline tables of a config dump). */
  rateLimits?: string[]
  /** Version info when read from a config dump. */
  versionInfo?: string
  lastUpdated?: string
}
