// Aeraki's validating webhook for MetaRouters (internal/webhook/validation/scheme/validation.go, spec §1.3b).
// Errors here mean the API server refuses the object; warnings are what the webhook only warns about.
import {checkRe2} from '../routing/regex.js'
import {parseGoDuration} from '../routing/duration.js'
import type {Loaded, MetaRouterSpec, StringMatch, TokenBucket, Destination} from '../resources/types.js'
import {FindingSink} from './findings.js'
import type {Finding} from '../resources/types.js'

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** ValidateFQDN: at most 255 characters, DNS-1123 labels, a top-level label that is not all digits. */
export function fqdnProblem(host: string): string | undefined {
  if (host.length === 0) return 'is empty'
  if (host.length > 255) return 'is longer than 255 characters'
  const labels = host.split('.')
  for (const l of labels) {
    if (l.length > 63) return `label "${l}" is longer than 63 characters`
    if (!DNS1123_LABEL.test(l)) return `label "${l}" is not a DNS-1123 label (lower-case letters, digits and '-')`
  }
  if (/^\d+$/.test(labels[labels.length - 1])) return 'has an all-numeric top-level label'
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
  validateExportTo(sink, spec.exportTo)
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

function validateExportTo(sink: FindingSink, exportTo: string[] | undefined): void {
  if (!Array.isArray(exportTo)) return
  const seen = new Set<string>()
  exportTo.forEach((ns, i) => {
    const path = `spec.exportTo[${i}]`
    if (seen.has(ns)) sink.add('WEBHOOK_EXPORTTO_DUPLICATE', 'error', `exportTo lists "${ns}" twice`, path)
    seen.add(ns)
    if (ns === '*' && exportTo.length > 1) sink.add('WEBHOOK_EXPORTTO_WILDCARD', 'error', 'exportTo "*" must be the only entry', path)
    else if (ns !== '*' && ns !== '.' && !DNS1123_LABEL.test(ns)) sink.add('WEBHOOK_EXPORTTO_INVALID', 'error', `exportTo "${ns}" is not a namespace name, "." or "*"`, path)
  })
}

function validateMatch(sink: FindingSink, attributes: Record<string, StringMatch | null> | undefined, path: string): void {
  for (const [name, sm] of Object.entries(attributes ?? {})) {
    const p = `${path}.attributes.${name}`
    if (sm === null || sm === undefined) continue // decoded as an empty StringMatch: accepted, then ignored (analysis warns)
    if (sm.regex !== undefined) {
      if (sm.regex === '') sink.add('WEBHOOK_REGEX_EMPTY', 'error', `regex for attribute "${name}" is empty`, `${p}.regex`)
      else {
        const c = checkRe2(sm.regex)
        if (!c.ok) sink.add('WEBHOOK_REGEX_INVALID', 'error', `regex "${sm.regex}" for attribute "${name}" does not compile: ${c.error}`, `${p}.regex`)
      }
    }
  }
}

function validateDestination(sink: FindingSink, d: Destination | undefined, path: string, what: string): void {
  if (!d) return
  if (d.host !== undefined) {
    const problem = fqdnProblem(String(d.host))
    if (problem) sink.add('WEBHOOK_DESTINATION_HOST', 'error', `${what} host "${d.host}" ${problem}`, `${path}.host`)
  }
  if (d.subset && !DNS1123_LABEL.test(d.subset)) sink.add('WEBHOOK_SUBSET_NAME', 'error', `${what} subset "${d.subset}" is not a DNS-1123 label`, `${path}.subset`)
  const port = d.port?.number
  if (port !== undefined && (port < 1 || port > 65535)) sink.add('WEBHOOK_PORT', 'error', `${what} port ${port} is outside 1..65535`, `${path}.port.number`)
}

function validateRoute(sink: FindingSink, r: NonNullable<MetaRouterSpec['routes']>[number], path: string): void {
  validateMatch(sink, r.match?.attributes ?? undefined, `${path}.match`)
  const dests = Array.isArray(r.route) ? r.route : []
  if (dests.length === 0) sink.add('WEBHOOK_NO_DESTINATION', 'error', 'route has no destination', `${path}.route`)
  let sum = 0
  dests.forEach((d, i) => {
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
