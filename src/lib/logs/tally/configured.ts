// The configured split for the demo client's request: the route simulator's prediction over the MetaRouters,
// DestinationRules, Services and ServiceEntries of the cluster, turned into shares per `version` label by the
// pods each cluster reaches (a subset's pods match its labels; a cluster's share is spread evenly over its pods,
// as round-robin does).
import {DEMOS, type DemoInfo} from '../../demo/world.js'
import {predict, type Prediction} from '../../dryrun/predict.js'
import {parseCluster} from '../../routing/names.js'
import {buildWorld, podSelectorOf, runningPodsSelectedBy, subsetsOf, type World} from '../../routing/world.js'
import {destinationRulesFor} from '../../routing/translate.js'
import type {KubeObject, Loaded} from '../../resources/types.js'

export interface DemoRequest {
  demo: DemoInfo['name']
  host: string
  port: number
  attributes: Array<[string, string]>
  clientNamespace: string
}

export interface ConfiguredSplit {
  /** "namespace/name" of the MetaRouter in use, null without one. */
  metaRouter: string | null
  route: string | null
  /** Share per version label (sums to 1 unless requests fail). */
  versions: Array<{version: string; share: number}>
  /** Why requests do not reach any version (RouteNotFound, rejected configuration, no pods). */
  problem: string | null
  /** Equal fingerprints mean the same configuration for this request. */
  fingerprint: string
}

export const NO_VERSION = '(no version label)'

/** The demo request a tailed client makes: the demo whose client name appears in the pod names. */
export function demoRequestFor(podNames: string[], namespace: string): DemoRequest | undefined {
  const demo = Object.values(DEMOS).find((d) => podNames.some((n) => n.includes(d.client)))
  if (!demo) return undefined
  return {demo: demo.name, host: demo.host, port: demo.port, attributes: demo.request, clientNamespace: namespace}
}

export function configuredSplit(objects: Loaded[], req: DemoRequest): ConfiguredSplit {
  const world = buildWorld(objects)
  let p: Prediction
  try {
    p = predict(world, {host: req.host, port: req.port, attributes: req.attributes, clientNamespace: req.clientNamespace})
  } catch (e) {
    return finish({metaRouter: null, route: null, versions: [], problem: (e as Error).message})
  }
  const base = {metaRouter: p.metaRouter, route: p.route?.name ?? null}
  if (p.configOutcome === 'nondeterministic') return finish({...base, versions: [], problem: `several MetaRouters name ${req.host}; Aeraki picks one at random`})
  if (p.configOutcome === 'rejected-by-webhook') return finish({...base, versions: [], problem: 'the MetaRouter would be rejected by the Aeraki webhook'})
  if (p.configOutcome === 'nacked-by-proxy') return finish({...base, versions: [], problem: 'the proxy would reject (NACK) the routes'})
  if (p.error) return finish({...base, versions: [], problem: p.error})
  const shares = new Map<string, number>()
  const unreachable: string[] = []
  for (const c of p.clusters) {
    const pods = podsOfCluster(world, c.name)
    if (pods.length === 0) { if (c.share > 0) unreachable.push(c.name); continue }
    for (const pod of pods) {
      const v = pod.metadata?.labels?.version ?? NO_VERSION
      shares.set(v, (shares.get(v) ?? 0) + c.share / pods.length)
    }
  }
  const versions = [...shares].map(([version, share]) => ({version, share})).sort((a, b) => a.version.localeCompare(b.version))
  return finish({...base, versions, problem: unreachable.length ? `no running pods behind ${unreachable.join(', ')}` : null})
}

function finish(s: Omit<ConfiguredSplit, 'fingerprint'>): ConfiguredSplit {
  const rounded = s.versions.map((v) => `${v.version}=${v.share.toFixed(6)}`)
  return {...s, fingerprint: JSON.stringify([s.metaRouter, s.route, rounded, s.problem])}
}

/** Running pods behind `outbound|port|subset|host`: the host's selector, narrowed by the subset's labels. */
function podsOfCluster(world: World, cluster: string): KubeObject[] {
  const parsed = parseCluster(cluster)
  if (!parsed) return []
  const service = world.services.find((s) => s.host === parsed.host)
  if (!service) return []
  const selector = podSelectorOf(service)
  if (!selector) return []
  let labels: Record<string, string> = {...selector}
  if (parsed.subset) {
    const subset = destinationRulesFor(world, service).flatMap(subsetsOf).find((s) => s?.name === parsed.subset)
    if (!subset) return []
    labels = {...labels, ...(subset.labels ?? {})}
  }
  return runningPodsSelectedBy(world, service.namespace, labels).map((l) => l.obj)
}

/** version label per pod name, from the same listing. */
export function podVersions(objects: Loaded[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const l of objects) if (l.obj.kind === 'Pod' && l.obj.metadata?.name) out.set(l.obj.metadata.name, l.obj.metadata.labels?.version ?? NO_VERSION)
  return out
}

/** "20/80 configured" (in the order given), "100% v1 configured", or the problem. */
export function describeConfigured(s: ConfiguredSplit, order: string[]): string {
  if (s.problem && s.versions.length === 0) return `configured: ${s.problem}`
  const byVersion = new Map(s.versions.map((v) => [v.version, v.share]))
  if (order.length <= 1 && s.versions.length === 1) return `${Math.round(s.versions[0].share * 100)}% ${s.versions[0].version} configured`
  if (order.length === 0) return 'nothing configured'
  return `${order.map((v) => Math.round((byVersion.get(v) ?? 0) * 100)).join('/')} configured`
}
