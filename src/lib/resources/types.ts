// The Kubernetes objects aerakictl reads, typed loosely: inputs come from users and clusters,
// so every field is optional and validated where it is used. The object shape itself is the generic one of the
// emulator package (a type-only import: nothing of the package is loaded at run time).
import type {KubeObject, ObjectMeta} from '@aerakictl/kube-emulator'

export type {KubeObject, ObjectMeta}

export interface StringMatch {
  exact?: string
  prefix?: string
  regex?: string
}

export interface Destination {
  host?: string
  subset?: string
  port?: {number?: number}
}

export interface MetaRouteSpec {
  name?: string
  match?: {attributes?: Record<string, StringMatch | null>} | null
  route?: Array<{destination?: Destination; weight?: number}>
  mirror?: Destination
  mirrorPercentage?: {value?: number}
  requestMutation?: Array<{key?: string; value?: string}>
  responseMutation?: Array<{key?: string; value?: string}>
}

export interface TokenBucket {
  fillInterval?: string
  maxTokens?: number
  tokensPerFill?: number
}

export interface MetaRouterSpec {
  hosts?: string[]
  gateways?: string[]
  routes?: MetaRouteSpec[]
  localRateLimit?: {
    tokenBucket?: TokenBucket
    conditions?: Array<{match?: {attributes?: Record<string, StringMatch | null>} | null; tokenBucket?: TokenBucket}>
  }
  globalRateLimit?: {
    match?: {attributes?: Record<string, StringMatch | null>} | null
    domain?: string
    requestTimeout?: string
    denyOnFail?: boolean
    rateLimitService?: string
    descriptors?: Array<{property?: string; descriptorKey?: string}>
  }
  exportTo?: string[]
}

/** Where an object came from, so findings and errors can name a file, line and column. */
export interface SourceRef {
  file: string
  /** 0-based index of the YAML document in the file (or of the item in a List). */
  doc: number
  /** 1-based line and column of the object's first line. */
  line: number
  column: number
  /** 1-based position of a path inside the object, when the source kept positions. */
  locate?: (path: ReadonlyArray<string | number>) => {line: number; column: number} | undefined
}

export interface Loaded<T extends KubeObject = KubeObject> {
  obj: T
  source: SourceRef
}

export type Severity = 'error' | 'warning' | 'info'

/** One validation or analysis result, pointing into an object with a JSON-path-like `path`. */
export interface Finding {
  code: string
  severity: Severity
  message: string
  /** e.g. `spec.routes[1].route[0].weight` */
  path?: string
  /** `Kind namespace/name` of the object the finding is about. */
  resource?: string
  /** file:line:column, when known. */
  location?: string
}
