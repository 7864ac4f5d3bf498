// Checks that go beyond Aeraki's webhook: things it accepts that do not do what they say (spec §5.1).
import {matchersOf} from '../routing/translate.js'
import {re2FullMatch} from '../routing/regex.js'
import {CODECS_IGNORING_REQUEST_MUTATION} from '../routing/names.js'
import type {AttributeMatcher} from '../routing/types.js'
import type {Finding, Loaded, MetaRouterSpec} from '../resources/types.js'
import {asciiLower} from '../routing/match.js'
import {FindingSink} from './findings.js'

export function analyzeMetaRouter(loaded: Loaded, applicationProtocol: string | undefined): Finding[] {
  const sink = new FindingSink(loaded)
  const spec = (loaded.obj.spec ?? {}) as MetaRouterSpec
  const routes = Array.isArray(spec.routes) ? spec.routes : []
  routes.forEach((r, i) => {
    const path = `spec.routes[${i}]`
    for (const [name, sm] of Object.entries(r?.match?.attributes ?? {})) {
      if (sm === null || (typeof sm === 'object' && sm.exact === undefined && sm.prefix === undefined && sm.regex === undefined)) {
        sink.add('ATTRIBUTE_MATCH_EMPTY', 'warning', `attribute "${name}" has no exact, prefix or regex: Aeraki drops it, so it does not check presence; use exact: "" for that`, `${path}.match.attributes.${name}`)
      }
    }
    if (Array.isArray(r?.responseMutation) && r!.responseMutation!.length > 0) {
      sink.add('RESPONSE_MUTATION_NOOP', 'warning', 'responseMutation is pushed to the proxy but never applied to responses', `${path}.responseMutation`)
    }
    if (Array.isArray(r?.requestMutation) && r!.requestMutation!.length > 0 && applicationProtocol && CODECS_IGNORING_REQUEST_MUTATION.has(applicationProtocol)) {
      sink.add('REQUEST_MUTATION_IGNORED_BY_CODEC', 'warning', `the ${applicationProtocol} codec computes requestMutation but does not write it on the wire`, `${path}.requestMutation`)
    }
  })
  // Shadowing: route j can never match if an earlier route i matches every request j matches.
  const matcherLists = routes.map(r => matchersOf(r?.match?.attributes ?? undefined))
  for (let j = 1; j < routes.length; j++) {
    for (let i = 0; i < j; i++) {
      if (implies(matcherLists[j], matcherLists[i])) {
        const why = matcherLists[i].length === 0 ? `route ${i}${nameOf(routes[i])} has no effective match and catches every request` : `every request route ${j} matches is matched first by route ${i}${nameOf(routes[i])}`
        sink.add('ROUTE_SHADOWED', 'warning', `route ${j}${nameOf(routes[j])} can never match: ${why}`, `spec.routes[${j}]`)
        break
      }
    }
  }
  const g = spec.globalRateLimit
  if (g && matchersOf(g.match?.attributes ?? undefined).length === 0) {
    sink.add('GLOBAL_RATELIMIT_WITHOUT_MATCH', 'warning', 'globalRateLimit without match never limits anything (the proxy skips the rate limit service), contrary to the API documentation', 'spec.globalRateLimit.match')
  }
  if (g && !g.requestTimeout) sink.add('GLOBAL_RATELIMIT_NO_TIMEOUT', 'error', 'globalRateLimit without requestTimeout makes Aeraki dereference a nil pointer when it builds the filter', 'spec.globalRateLimit.requestTimeout')
  return sink.findings
}

function nameOf(r: {name?: string} | undefined): string {
  return r?.name ? ` ("${r.name}")` : ''
}

/** Does every request that satisfies `narrow` also satisfy `broad`? Conservative: false when unsure. */
export function implies(narrow: AttributeMatcher[], broad: AttributeMatcher[]): boolean {
  return broad.every(b => narrow.some(n => asciiLower(n.name) === asciiLower(b.name) && matcherImplies(n, b)))
}

function matcherImplies(n: AttributeMatcher, b: AttributeMatcher): boolean {
  if (b.kind === 'present' || (b.kind === 'exact' && b.value === '')) return true
  const nv = n.value ?? ''
  const bv = b.value ?? ''
  const nIsExact = n.kind === 'exact' && nv !== ''
  switch (b.kind) {
    case 'exact':
      return nIsExact && nv === bv
    case 'prefix':
      return (nIsExact || n.kind === 'prefix') && nv.startsWith(bv)
    case 'regex':
      if (nIsExact) {
        try {
          return re2FullMatch(bv, nv)
        } catch {
          return false
        }
      }
      return n.kind === 'regex' && nv === bv
  }
  return false
}
