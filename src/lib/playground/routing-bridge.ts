// The emulator's link to the route simulator (src/lib/dryrun, src/lib/routing) and the config-dump
// generator (src/lib/dump): one World per state of the routing objects, rebuilt only when they change.
import type {KubeObject} from '../resources/types.js'
import {predict as predictInWorld} from '../dryrun/predict.js'
import {generateConfigDump} from '../dump/generate.js'
import {translateAll} from '../routing/translate.js'
import {requestView} from '../routing/match.js'
import {expandHost} from '../routing/names.js'
import {globalPlanFor, type GlobalLimiterPlan} from '../routing/ratelimit.js'
import {asLoaded, buildWorld, type World} from '../routing/world.js'

export interface PredictQuery {host: string; port?: number; attributes: Array<[string, string]>; randomValue?: bigint}
export interface RoutePick {selectedCluster: string | null; error: string | null; route?: string}
export interface DumpService {host: string; port: number; clusterIp: string; applicationProtocol: string}

export class RoutingView {
  private readonly world: World

  constructor(readonly objects: KubeObject[], readonly changedAt: Date) {
    this.world = buildWorld(objects.map((o) => asLoaded(o, '<playground>')))
  }

  /** The cluster the MetaProtocol proxy would pick for one request (or why none). */
  pick(q: PredictQuery): RoutePick {
    try {
      const p = predictInWorld(this.world, {host: q.host, port: q.port, attributes: q.attributes, randomValue: q.randomValue})
      return {selectedCluster: p.selectedCluster, error: p.error, route: p.route?.name}
    } catch (e) {
      return {selectedCluster: null, error: (e as Error).message}
    }
  }

  /** What the global rate limit filter would ask the ratelimit service for this request (null: no global limit). */
  globalPlan(metaRouter: KubeObject, attributes: Array<[string, string]>, protocol: string): GlobalLimiterPlan | null {
    return globalPlanFor(metaRouter.spec?.globalRateLimit, requestView(attributes, protocol), new Map(attributes), this.world.rateLimitConfigs)
  }

  configDump(pod: {name: string; namespace: string; ip: string}, services: DumpService[], eds?: Record<string, Array<{ip: string; port: number}>>): object {
    const subsetsByHost: Record<string, string[]> = {}
    for (const dr of this.objects.filter((o) => o.kind === 'DestinationRule')) {
      const h: string = dr.spec?.host ?? ''
      const host = expandHost(h, dr.metadata?.namespace)
      subsetsByHost[host] = [...(subsetsByHost[host] ?? []), ...(dr.spec?.subsets ?? []).map((s: any) => s.name).filter(Boolean)]
    }
    return generateConfigDump({
      tables: translateAll(this.world), podName: pod.name, namespace: pod.namespace, podIp: pod.ip, services, subsetsByHost,
      versionInfo: String(Math.floor(this.changedAt.getTime() / 1000)), lastUpdated: this.changedAt.toISOString(),
      ...(eds ? {includeEds: true, endpoints: eds} : {}),
    })
  }
}
