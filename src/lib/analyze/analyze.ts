// `route analyze`: every check aerakictl knows, over a set of objects, istioctl-analyze style.
import {keptKind, resourceName} from '../resources/kinds.js'
import {identityOf, mergeObjects} from '../resources/merge.js'
import {buildWorld} from '../routing/world.js'
import type {Finding, Loaded, Severity} from '../resources/types.js'
import type {World} from '../routing/world.js'
import {analyzeMetaRouter} from '../validate/analysis.js'
import {dedupeFindings, sortFindings} from '../validate/findings.js'
import {proxyNackFindings} from '../validate/proxy.js'
import {validateAgainstCrd} from '../validate/schema.js'
import {admit} from '../validate/structural.js'
import {validateMetaRouterWebhook} from '../validate/webhook.js'
import {metaRouterCrossChecks, serviceChecks} from './rules.js'
import {metaProtocolPorts, metaRouterSpec, servicesForHost} from '../routing/world.js'
import {globPattern, type UserPattern} from '../re2/user-pattern.js'

export interface AnalyzeOptions {
  /** Only objects in these namespaces are analysed (all when undefined). */
  namespaces?: string[]
  /** `CODE=RESOURCE` pairs; RESOURCE may be `*`, `Kind ns/name`, `ns/name` or `name`, with `*` wildcards. */
  suppress?: string[]
  /** The proxy's re2.max_program_size.error_level (default: Istio's 32768). */
  regexProgramLimit?: number
  /** Identities (identityOf) analysed whatever `namespaces` says: the -f objects of `--from-cluster -f`. */
  always?: ReadonlySet<string>
}

export interface AnalyzeResult {
  findings: Finding[]
  analyzed: {metaRouters: number; services: number; destinationRules: number}
  suppressed: number
}

export const SEVERITY_RANK: Record<Severity, number> = {error: 3, warning: 2, info: 1}

/**
 * Analyses objects as they would be after applying them in order: the world is merged by identity (the last version
 * of an object wins), but every version of a MetaRouter gets its own checks, so a folder of alternatives (as in
 * Aeraki's demos, one MetaRouter name in several files) is checked file by file.
 */
export function analyzeObjects(objects: Loaded[], options: AnalyzeOptions = {}): AnalyzeResult {
  const world = buildWorld(mergeObjects(objects))
  return analyzeWorld(world, options, admittedVersions(world, objects), [...kindFindings(objects), ...duplicateFindings(objects)])
}

/** The API groups of the kinds Aeraki translates, and the other kinds served in those groups. */
const GROUP_KINDS: Record<string, string[]> = {
  'metaprotocol.aeraki.io': ['MetaRouter', 'ApplicationProtocol'],
  'networking.istio.io': ['DestinationRule', 'ServiceEntry', 'VirtualService', 'Gateway', 'Sidecar', 'EnvoyFilter', 'WorkloadEntry', 'WorkloadGroup', 'ProxyConfig'],
}
const ROUTING_GROUP: Record<string, string> = {MetaRouter: 'metaprotocol.aeraki.io', ApplicationProtocol: 'metaprotocol.aeraki.io', DestinationRule: 'networking.istio.io', ServiceEntry: 'networking.istio.io'}

function editDistance(a: string, b: string): number {
  const d = Array.from({length: a.length + 1}, (_, i) => [i, ...new Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
  return d[a.length][b.length]
}

/**
 * UNKNOWN_KIND: a kind no server serves in an Aeraki/Istio group (`MetaRoutr`), or a routing kind in the wrong
 * group (a MetaRouter under networking.istio.io). kubectl apply fails on both ("no matches for kind"); without this
 * they were silently left out and the analysis said nothing was wrong.
 */
export function kindFindings(objects: Loaded[]): Finding[] {
  const findings: Finding[] = []
  // The nearest routing kind, once per kind seen (a cluster read has thousands of objects of a few kinds).
  const nearKinds = new Map<string, string>()
  for (const l of objects) {
    const kind = l.obj.kind ?? ''
    const group = (l.obj.apiVersion ?? '').includes('/') ? (l.obj.apiVersion ?? '').split('/')[0] : ''
    const where = `${l.source.file}:${l.source.line}`
    const resource = resourceName(l.obj)
    const expected = ROUTING_GROUP[kind]
    if (expected && group !== expected) {
      findings.push({code: 'UNKNOWN_KIND', severity: 'error', message: `${kind} is served in API group ${expected}, not "${group || 'core'}" (apiVersion ${l.obj.apiVersion}); the API server would answer "no matches for kind"`, resource, location: where})
      continue
    }
    const served = GROUP_KINDS[group]
    let near = nearKinds.get(kind)
    if (near === undefined) nearKinds.set(kind, near = Object.keys(ROUTING_GROUP).find(k => k !== kind && editDistance(k.toLowerCase(), kind.toLowerCase()) <= 2) ?? '')
    if ((served && !served.includes(kind)) || near) {
      if (!near && !served) continue
      findings.push({code: 'UNKNOWN_KIND', severity: 'error', message: `kind ${kind} is not served${served ? ` in ${group}` : ''}${near ? `; did you mean ${near}?` : ''} It is not analyzed`, resource, location: where})
    }
  }
  return findings
}

/** Every version of every MetaRouter among the inputs, as the API server would store it. */
function admittedVersions(world: World, objects: Loaded[]): Loaded[] {
  return objects.filter(l => keptKind(l.obj) === 'MetaRouter').map(l => admit(l, world.servedSchemas))
}

/**
 * DUPLICATE_OBJECT for every kind: the same kind, namespace and name more than once among the inputs (kubectl
 * apply -f applies them in order, so the last one wins; it is named).
 */
export function duplicateFindings(objects: Loaded[]): Finding[] {
  const versions = new Map<string, Loaded[]>()
  for (const l of objects) versions.set(identityOf(l), [...(versions.get(identityOf(l)) ?? []), l])
  const findings: Finding[] = []
  for (const list of versions.values()) {
    if (list.length < 2) continue
    const last = list[list.length - 1]
    const where = (l: Loaded) => `${l.source.file}:${l.source.line}`
    const checked = keptKind(last.obj) === 'MetaRouter' ? 'each version is checked; ' : ''
    findings.push({code: 'DUPLICATE_OBJECT', severity: 'info', message: `${resourceName(last.obj)} is defined ${list.length} times in the inputs (${list.map(where).join(', ')}); ${checked}applying them in order keeps the last one, ${where(last)}`, resource: resourceName(last.obj), location: where(last)})
  }
  return findings
}

export function analyzeWorld(world: World, options: AnalyzeOptions = {}, metaRouterVersions?: Loaded[], initial: Finding[] = []): AnalyzeResult {
  const inScope = (l: Loaded) => !options.namespaces || options.namespaces.includes(l.obj.metadata?.namespace ?? 'default') || !!options.always?.has(identityOf(l))
  const metaRouters = (metaRouterVersions ?? world.metaRouters).map(mr => admit(mr, world.servedSchemas)).filter(inScope)
  const findings: Finding[] = [...initial]
  for (const mr of metaRouters) {
    findings.push(...validateAgainstCrd(mr, world.servedSchemas), ...validateMetaRouterWebhook(mr), ...proxyNackFindings(mr, options.regexProgramLimit))
    const host = metaRouterSpec(mr).hosts?.[0]
    const svc = typeof host === 'string' ? servicesForHost(world, host)[0] : undefined
    const proto = svc ? metaProtocolPorts(svc)[0]?.applicationProtocol : undefined
    findings.push(...analyzeMetaRouter(mr, proto), ...metaRouterCrossChecks(world, mr))
  }
  const services = world.services.filter(s => inScope(s.loaded))
  findings.push(...serviceChecks({...world, services}))
  const {kept, suppressed} = applySuppressions(dedupeFindings(findings), options.suppress ?? [])
  return {
    findings: sortFindings(kept),
    analyzed: {metaRouters: new Set(metaRouters.map(identityOf)).size, services: services.length, destinationRules: world.destinationRules.filter(inScope).length},
    suppressed,
  }
}

export function applySuppressions(findings: Finding[], rules: string[]): {kept: Finding[]; suppressed: number} {
  // Globs compiled once to RE2 (linear time whatever the user typed), not to backtracking JS RegExps.
  const parsed = rules.map(r => {
    const i = r.indexOf('=')
    const [code, resource] = i < 0 ? [r, '*'] : [r.slice(0, i), r.slice(i + 1)]
    return {code: globPattern(code, '--suppress'), resource: globPattern(resource, '--suppress')}
  })
  const kept = findings.filter(f => !parsed.some(p => p.code.test(f.code) && resourceMatches(p.resource, f.resource ?? '')))
  return {kept, suppressed: findings.length - kept.length}
}

function resourceMatches(pattern: UserPattern, resource: string): boolean {
  if (pattern.test(resource)) return true
  const withoutKind = resource.replace(/^\S+ /, '')
  return pattern.test(withoutKind) || pattern.test(withoutKind.replace(/^[^/]*\//, ''))
}

