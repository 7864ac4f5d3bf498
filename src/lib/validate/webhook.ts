// Aeraki's validating webhook for MetaRouters (aeraki-mesh/aeraki internal/webhook/validation/scheme/validation.go,
// ValidateMetaRouter; docs/routing-semantics.md "Aeraki's webhook"). Errors here mean the API server refuses the
// object; warnings are what the webhook only warns about.
import {goRegexpError} from '../routing/regex.js'
import {parseGoDuration} from '../routing/duration.js'
import type {Loaded, MetaRouterSpec, StringMatch, TokenBucket, Destination} from '../resources/types.js'
import {FindingSink} from './findings.js'
import type {Finding} from '../resources/types.js'

/**
 * istio/istio pkg/config/labels IsDNS1123Label, which the webhook uses for host labels, subsets and exportTo:
 * at most 63 characters of `[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?` (upper case is accepted, unlike Kubernetes).
 */
export function isIstioDns1123Label(label: string): boolean {
  return label.length <= 63 && /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/.test(label)
}

/** Go's strconv.Atoi succeeds: an optional sign, decimal digits, within int64. */
function goAtoiSucceeds(s: string): boolean {
  if (!/^[+-]?\d+$/.test(s)) return false
  const n = BigInt(s)
  return n >= -(2n ** 63n) && n < 2n ** 63n
}

/**
 * ValidateFQDN (validation.go): at most 255 characters, not empty, a top-level label that strconv.Atoi does not
 * parse, then DNS-1123 labels; the last label may be empty ("Allow the last part to be empty", `istio.io.`).
 */
export function fqdnProblem(host: string): string | undefined {
  if (host.length > 255) return 'is longer than 255 characters'
  if (host.length === 0) return 'is empty (empty domain name not allowed)'
  const labels = host.split('.')
  const top = labels[labels.length - 1]
  if (goAtoiSucceeds(top)) return `has an all-numeric top-level label "${top}"`
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]
    if (i === labels.length - 1 && l === '') return undefined
    if (!isIstioDns1123Label(l)) return `label "${l}" is not a DNS-1123 label (letters, digits and '-', at most 63 characters)`
  }
  return undefined
}

export function validateMetaRouterWebhook(loaded: Loaded): Finding[] {
  const sink = new FindingSink(loaded)
  const spec = (loaded.obj.spec ?? {}) as MetaRouterSpec
  const hosts = Array.isArray(spec.hosts) ? spec.hosts : []
  if (hosts.length !== 1) {
    sink.add('WEBHOOK_HOSTS', 'error', `hosts must list exactly one host (has ${hosts.length})`, 'spec.hosts')
  } else {
    const problem = fqdnProblem(String(hosts[0]))
    if (problem) sink.add('WEBHOOK_HOST_INVALID', 'error', `host "${hosts[0]}" ${problem}`, 'spec.hosts[0]')
  }
  const routes = Array.isArray(spec.routes) ? spec.routes : []
  if (routes.length === 0 && !spec.globalRateLimit && !spec.localRateLimit) {
    sink.add('WEBHOOK_EMPTY', 'error', 'a MetaRouter needs routes, a globalRateLimit or a localRateLimit', 'spec')
  }
  validateExportTo(sink, spec.exportTo, loaded.obj.metadata?.namespace ?? 'default')
  routes.forEach((r, i) => validateRoute(sink, r ?? {}, `spec.routes[${i}]`))
  // analyzeUnreachableMetaRules: only a second match-less route after a match-less one is noticed.
  let sawCatchAll = -1
  routes.forEach((r, i) => {
    const noMatch = !r?.match
    if (noMatch && sawCatchAll >= 0) {
      sink.add('WEBHOOK_UNREACHABLE_RULE', 'warning', `route ${i} can never match: route ${sawCatchAll} has no match and catches every request (only the last rule can have no match)`, `spec.routes[${i}]`)
    }
    if (noMatch && sawCatchAll < 0) sawCatchAll = i
  })
  if (spec.localRateLimit) validateLocalRateLimit(sink, spec.localRateLimit)
  if (spec.globalRateLimit) validateGlobalRateLimit(sink, spec.globalRateLimit)
  return sink.findings
}

/**
 * validateExportTo: `.` stands for the object's own namespace before duplicates are looked for, so `[".", "ns"]` in
 * namespace ns is a duplicate; entries must be `.`, `*` or a DNS-1123 label (istio pkg/config/visibility Validate,
 * which also refuses `~`); `*` must be alone.
 */
function validateExportTo(sink: FindingSink, exportTo: string[] | undefined, namespace: string): void {
  if (!Array.isArray(exportTo)) return
  const seen = new Set<string>()
  let publicSeen = false
  exportTo.forEach((raw, i) => {
    const ns = String(raw)
    const path = `spec.exportTo[${i}]`
    const key = ns === '.' ? namespace : ns
    if (seen.has(key)) {
      sink.add('WEBHOOK_EXPORTTO_DUPLICATE', 'error', key !== ns ? `exportTo lists "." and the MetaRouter's own namespace ${namespace}: duplicate entries` : `exportTo lists "${ns}" twice`, path)
      return
    }
    if (key !== '*' && key !== '.' && !isIstioDns1123Label(key)) {
      sink.add('WEBHOOK_EXPORTTO_INVALID', 'error', key === '~' ? 'exportTo "~" (none) is not allowed for Istio configuration objects' : `exportTo "${ns}" is not ".", "*" or a DNS-1123 label`, path)
      return
    }
    seen.add(key)
    if (key === '*') publicSeen = true
  })
  if (publicSeen && exportTo.length > 1) sink.add('WEBHOOK_EXPORTTO_WILDCARD', 'error', 'exportTo cannot have both "*" and other entries', 'spec.exportTo')
}

/** validateMetaRouteMatch: every attribute name must be non-empty (ValidateMetaAttributeName), regexes compile. */
function validateMatch(sink: FindingSink, attributes: Record<string, StringMatch | null> | undefined, path: string): void {
  for (const [name, sm] of Object.entries(attributes ?? {})) {
    const p = `${path}.attributes.${name}`
    if (name === '') sink.add('WEBHOOK_ATTRIBUTE_NAME', 'error', 'attribute name cannot be empty', `${path}.attributes`)
    // A null value never gets here from a real cluster: the API server prunes it first (see validate/structural.ts).
    if (sm === null || sm === undefined) {
      sink.add('WEBHOOK_ATTRIBUTE_NULL', 'error', `attribute match "${name}" cannot be null`, p)
      continue
    }
    if (sm.regex !== undefined) {
      if (sm.regex === '') sink.add('WEBHOOK_REGEX_EMPTY', 'error', `regex for attribute "${name}" is empty`, `${p}.regex`)
      else {
        // Aeraki compiles it with Go's regexp (validateStringMatchRegexp), not with the proxy's RE2.
        const error = goRegexpError(sm.regex)
        if (error) sink.add('WEBHOOK_REGEX_INVALID', 'error', `regex "${sm.regex}" for attribute "${name}" does not compile with Go's regexp (Aeraki's webhook): ${error}`, `${p}.regex`)
      }
    }
  }
}

/** validateDestination: the host is checked with ValidateFQDN even when absent (""), a port selector with ValidatePort. */
function validateDestination(sink: FindingSink, d: Destination | undefined | null, path: string, what: string): void {
  if (!d) return
  const host = d.host === undefined || d.host === null ? '' : String(d.host)
  const problem = fqdnProblem(host)
  if (problem) sink.add('WEBHOOK_DESTINATION_HOST', 'error', host === '' ? `${what} has no host (empty domain name not allowed)` : `${what} host "${host}" ${problem}`, `${path}.host`)
  if (d.subset && !isIstioDns1123Label(String(d.subset))) sink.add('WEBHOOK_SUBSET_NAME', 'error', `${what} subset "${d.subset}" is not a DNS-1123 label`, `${path}.subset`)
  if (d.port !== undefined && d.port !== null) {
    const port = Number(d.port.number ?? 0)
    if (!(port >= 1 && port <= 65535)) sink.add('WEBHOOK_PORT', 'error', `${what} port number ${port} must be in the range 1..65535${d.port.number === undefined ? ' (port: {} means 0)' : ''}`, `${path}.port`)
  }
}

function validateRoute(sink: FindingSink, r: NonNullable<MetaRouterSpec['routes']>[number], path: string): void {
  validateMatch(sink, r.match?.attributes ?? undefined, `${path}.match`)
  const dests = Array.isArray(r.route) ? r.route : []
  if (dests.length === 0) sink.add('WEBHOOK_NO_DESTINATION', 'error', 'route has no destination', `${path}.route`)
  let sum = 0
  dests.forEach((d, i) => {
    if (d === null || d === undefined) {
      sink.add('WEBHOOK_NO_DESTINATION', 'error', 'a route[] entry may not be null ("weight may not be nil")', `${path}.route[${i}]`)
      return
    }
    if (!d.destination) sink.add('WEBHOOK_NO_DESTINATION', 'error', 'destination is required', `${path}.route[${i}].destination`)
    const w = Number(d?.weight ?? 0)
    sum += w
    if (w > 100) sink.add('WEBHOOK_WEIGHT', 'error', `weight ${w} is over 100`, `${path}.route[${i}].weight`)
    if (w < 0) sink.add('WEBHOOK_WEIGHT', 'error', `weight ${w} is negative`, `${path}.route[${i}].weight`)
    validateDestination(sink, d?.destination, `${path}.route[${i}].destination`, 'destination')
  })
  if (dests.length > 1 && sum !== 100) {
    sink.add('WEBHOOK_WEIGHT_SUM', 'error', `total destination weight ${sum} != 100`, `${path}.route`)
  }
  for (const list of ['requestMutation', 'responseMutation'] as const) {
    const items = Array.isArray(r[list]) ? r[list]! : []
    items.forEach((kv, i) => {
      if (!kv?.key) sink.add('WEBHOOK_MUTATION_KEY', 'error', `${list} key is empty`, `${path}.${list}[${i}].key`)
      if (!kv?.value) sink.add('WEBHOOK_MUTATION_VALUE', 'error', `${list} value for "${kv?.key ?? ''}" is empty`, `${path}.${list}[${i}].value`)
    })
  }
  if (r.mirrorPercentage && !r.mirror) sink.add('WEBHOOK_MIRROR_PERCENTAGE', 'error', 'mirrorPercentage is set but mirror is not', `${path}.mirrorPercentage`)
  if (r.mirrorPercentage) {
    const v = Number(r.mirrorPercentage.value ?? 0)
    if (!(v > 0 && v <= 100)) sink.add('WEBHOOK_MIRROR_PERCENTAGE', 'error', `mirrorPercentage ${v} must be in (0, 100]`, `${path}.mirrorPercentage.value`)
  }
  validateDestination(sink, r.mirror, `${path}.mirror`, 'mirror')
}

function validateBucket(sink: FindingSink, b: TokenBucket | undefined, path: string): void {
  if (!b) return
  if (b.fillInterval === undefined || b.fillInterval === null) sink.add('WEBHOOK_RATELIMIT_BUCKET', 'error', 'tokenBucket needs fillInterval', `${path}.fillInterval`)
  else if (parseGoDuration(String(b.fillInterval)) === undefined) sink.add('WEBHOOK_RATELIMIT_BUCKET', 'error', `fillInterval "${b.fillInterval}" is not a duration such as 60s or 100ms`, `${path}.fillInterval`)
  if (b.tokensPerFill === undefined || b.tokensPerFill === null || Number(b.tokensPerFill) < 1) sink.add('WEBHOOK_RATELIMIT_BUCKET', 'error', 'tokenBucket needs tokensPerFill >= 1', `${path}.tokensPerFill`)
  if (!(Number(b.maxTokens) >= 1)) sink.add('WEBHOOK_RATELIMIT_BUCKET', 'error', 'tokenBucket needs maxTokens >= 1', `${path}.maxTokens`)
}

function validateLocalRateLimit(sink: FindingSink, l: NonNullable<MetaRouterSpec['localRateLimit']>): void {
  const path = 'spec.localRateLimit'
  const conditions = Array.isArray(l.conditions) ? l.conditions : []
  if (!l.tokenBucket && conditions.length === 0) sink.add('WEBHOOK_LOCAL_RATELIMIT', 'error', 'localRateLimit needs a tokenBucket or conditions', path)
  validateBucket(sink, l.tokenBucket, `${path}.tokenBucket`)
  conditions.forEach((c, i) => {
    const p = `${path}.conditions[${i}]`
    if (!c?.match) sink.add('WEBHOOK_LOCAL_RATELIMIT', 'error', 'condition needs a match', `${p}.match`)
    else validateMatch(sink, c.match.attributes ?? undefined, `${p}.match`)
    if (!c?.tokenBucket) sink.add('WEBHOOK_LOCAL_RATELIMIT', 'error', 'condition needs a tokenBucket', `${p}.tokenBucket`)
    else validateBucket(sink, c.tokenBucket, `${p}.tokenBucket`)
  })
}

function validateGlobalRateLimit(sink: FindingSink, g: NonNullable<MetaRouterSpec['globalRateLimit']>): void {
  const path = 'spec.globalRateLimit'
  if (!g.domain) sink.add('WEBHOOK_GLOBAL_RATELIMIT', 'error', 'globalRateLimit needs a domain', `${path}.domain`)
  if (!g.rateLimitService) sink.add('WEBHOOK_GLOBAL_RATELIMIT', 'error', 'globalRateLimit needs rateLimitService (a cluster name)', `${path}.rateLimitService`)
  const descriptors = Array.isArray(g.descriptors) ? g.descriptors : []
  if (descriptors.length === 0) sink.add('WEBHOOK_GLOBAL_RATELIMIT', 'error', 'globalRateLimit needs at least one descriptor', `${path}.descriptors`)
  descriptors.forEach((d, i) => {
    if (!d?.property) sink.add('WEBHOOK_GLOBAL_RATELIMIT', 'error', 'descriptor needs a property', `${path}.descriptors[${i}].property`)
    if (!d?.descriptorKey) sink.add('WEBHOOK_GLOBAL_RATELIMIT', 'error', 'descriptor needs a descriptorKey', `${path}.descriptors[${i}].descriptorKey`)
  })
  if (g.match) validateMatch(sink, g.match.attributes ?? undefined, `${path}.match`)
}
