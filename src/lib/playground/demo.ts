// Emulated behaviour of the Aeraki demo images: the Thrift client and Dubbo consumer call their server
// once per interval and log which pod answered, with the server chosen by the route simulator over the
// MetaRouters, DestinationRules, Services and ServiceEntries stored right now.
import {randomBytes} from 'node:crypto'
import {matchesMap, type Cluster, type ContainerBehaviour} from '@aerakictl/kube-emulator'
import type {KubeObject} from '../resources/types.js'
import {expandHost} from '../routing/names.js'
import {RoutingView} from './routing-bridge.js'
import {GlobalRateLimits, LocalRateLimits} from './rate-limit.js'
import {recordCall} from './traffic.js'

export interface DemoCall {
  host: string
  port: number
  attributes: Array<[string, string]>
  /** Codec of the call (thrift, dubbo): decides how attributes are read for rate-limit matching. */
  protocol: string
}

interface Role {
  /** The call a demo client pod makes (evaluated per request, so configuration changes apply at once). */
  call(pod: KubeObject, container: any, cluster: Cluster): DemoCall
}

const DEMO_INTERFACE = 'org.apache.dubbo.samples.basic.api.DemoService'

/** The Dubbo demo consumer resolves DemoService through its mounted dubbo-resolve.properties ConfigMap. */
function dubboTarget(pod: KubeObject, container: any, cluster: Cluster): {host: string; port: number} {
  const ns = pod.metadata!.namespace!
  const fallback = {host: 'org.apache.dubbo.samples.basic.api.demoservice', port: 20880}
  const mount = (container.volumeMounts ?? []).find((m: any) => String(m.mountPath).endsWith('dubbo-resolve.properties'))
  const volume = ((pod.spec as any)?.volumes ?? []).find((v: any) => v.name === mount?.name)
  const cmName = volume?.configMap?.name
  const cm = cmName ? cluster.find(cluster.type('', 'configmaps'), ns, cmName) : undefined
  const props: string | undefined = cm?.data?.[mount?.subPath ?? 'dubbo-resolve.properties']
  const line = props?.split('\n').map((l) => l.trim()).find((l) => l.startsWith(`${DEMO_INTERFACE}=`))
  const m = line && /=dubbo:\/\/([^:/]+):(\d+)/.exec(line)
  if (!m) return fallback
  return {host: expandHost(m[1], ns), port: Number(m[2])}
}

const THRIFT_CLIENT = /aeraki-mesh\/thrift-sample-client(:|@|$)/
const DUBBO_CONSUMER = /aeraki-mesh\/dubbo-sample-consumer(:|@|$)/

const ROLES: Array<[RegExp, Role]> = [
  [THRIFT_CLIENT, {
    call: (pod, c) => {
      const ns = pod.metadata!.namespace!
      const server = c.env?.find((e: any) => e.name === 'helloServer')?.value ?? 'thrift-sample-server'
      const host = expandHost(server, ns)
      return {host, port: 9090, attributes: [['method', 'sayHello']], protocol: 'thrift'}
    },
  }],
  [DUBBO_CONSUMER, {
    call: (pod, c, cluster) => ({...dubboTarget(pod, c, cluster), attributes: [['interface', DEMO_INTERFACE], ['method', 'sayHello'], ['foo', 'bar']], protocol: 'dubbo'}),
  }],
]

export function isDemoClientImage(image: string): boolean {
  return ROLES.some(([re]) => re.test(image))
}

const ROUTING_KINDS: Array<[string, string]> = [
  ['metaprotocol.aeraki.io', 'metarouters'], ['networking.istio.io', 'destinationrules'], ['', 'services'], ['networking.istio.io', 'serviceentries'],
  ['metaprotocol.aeraki.io', 'applicationprotocols'], ['', 'configmaps'],
]

const ROUTING_KEYS = new Set(ROUTING_KINDS.map(([g, p]) => `${g}/${p}`))
const views = new WeakMap<Cluster, RoutingView>()
const stale = new WeakSet<Cluster>()

/** The route simulator's view of the objects stored right now; rebuilt after any change to them. */
export function routingView(cluster: Cluster): RoutingView {
  let v = views.get(cluster)
  if (!v) {
    cluster.store.on('event', (ev) => { if (ROUTING_KEYS.has(ev.key)) stale.add(cluster) })
  }
  if (!v || stale.has(cluster)) {
    stale.delete(cluster)
    const out: KubeObject[] = []
    for (const [g, p] of ROUTING_KINDS) {
      const t = cluster.registry.byKey(`${g}/${p}`)
      if (t) for (const o of cluster.list(t)) out.push(cluster.view(t, o))
    }
    v = new RoutingView(out, new Date())
    views.set(cluster, v)
  }
  return v
}

const running = (p: KubeObject) => (p.status as any)?.phase === 'Running' && (p.status as any)?.podIP &&
  (p.status as any)?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')

/** Pods behind a host: a Kubernetes Service's selector or a ServiceEntry's workloadSelector. */
export function backendPods(cluster: Cluster, objects: KubeObject[], host: string): KubeObject[] {
  const pods = cluster.type('', 'pods')
  const m = host.match(/^([^.]+)\.([^.]+)\.svc\.cluster\.local$/)
  let selector: Record<string, string> | undefined
  let ns: string | undefined
  if (m) {
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata?.name === m[1] && o.metadata?.namespace === m[2])
    selector = svc?.spec?.selector
    ns = m[2]
  }
  if (!selector) {
    const se = objects.find((o) => o.kind === 'ServiceEntry' && (o.spec?.hosts ?? []).includes(host))
    selector = se?.spec?.workloadSelector?.labels
    ns = se?.metadata?.namespace
  }
  if (!selector || !ns) return []
  return cluster.list(pods, ns).filter((p) => running(p) && matchesMap(selector, p.metadata?.labels))
}

export function subsetLabels(objects: KubeObject[], host: string, subset: string): Record<string, string> | undefined {
  for (const dr of objects.filter((o) => o.kind === 'DestinationRule')) {
    if (expandHost(String(dr.spec?.host ?? ''), dr.metadata?.namespace) !== host) continue
    const s = (dr.spec?.subsets ?? []).find((x: any) => x.name === subset)
    if (s) return s.labels ?? {}
  }
  return undefined
}

export interface Answer {
  pod?: KubeObject
  error?: string
  /** The client proxy's upstream cluster (outbound|port|subset|host) and MetaProtocol route, when routing got that far. */
  cluster?: string
  route?: string
}

/**
 * Picks the server pod for one request (`turn` gives round-robin among the chosen cluster's pods), then lets that
 * pod's inbound proxy apply the MetaRouter's local rate limit.
 */
export function answerCall(cluster: Cluster, call: DemoCall, turn: number, limits?: {local: LocalRateLimits; global: GlobalRateLimits}): Answer {
  const view = routingView(cluster)
  const objects = view.objects
  const hasRouter = objects.some((o) => o.kind === 'MetaRouter' && (o.spec?.hosts ?? []).includes(call.host))
  let candidates = backendPods(cluster, objects, call.host)
  let upstream = `outbound|${call.port}||${call.host}`
  let routeName = 'default'
  if (hasRouter) {
    const p = view.pick({...call, randomValue: randomBytes(8).readBigUInt64BE()})
    if (!p.selectedCluster) return {error: `meta protocol router: ${p.error ?? 'no matched route for request'}`, route: p.route}
    upstream = p.selectedCluster
    routeName = p.route ?? routeName
    const subset = p.selectedCluster.split('|')[2]
    const host = p.selectedCluster.split('|').slice(3).join('|') || call.host
    if (host !== call.host) candidates = backendPods(cluster, objects, host)
    if (subset) {
      const labels = subsetLabels(objects, host, subset)
      if (!labels) return {error: `unknown cluster '${p.selectedCluster}'`, cluster: upstream, route: routeName}
      candidates = candidates.filter((c) => matchesMap(labels, c.metadata?.labels))
    }
  }
  const at = {cluster: upstream, route: routeName}
  if (candidates.length === 0) return {error: `no healthy upstream for ${call.host}:${call.port}`, ...at}
  candidates.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!))
  const pod = candidates[turn % candidates.length]
  const mr = objects.find((o) => o.kind === 'MetaRouter' && (o.spec?.hosts ?? []).includes(call.host))
  const limit = limits?.local.take(pod, mr, call.attributes, call.protocol)
  const proxy = `meta protocol proxy of ${pod.metadata!.name}`
  const router = `MetaRouter ${mr?.metadata?.namespace}/${mr?.metadata?.name}`
  if (limit && !limit.allowed) return {error: `${proxy}: over limit (localRateLimit ${limit.bucket} of ${router})`, ...at}
  const global = mr?.spec?.globalRateLimit
  if (limits && global && ((pod.spec as any)?.containers ?? []).some((c: any) => c.name === 'istio-proxy')) {
    // The filter resolves the ratelimit service cluster first: without a host every request fails (§3.9).
    const service = String(global.rateLimitService ?? '')
    const serviceHost = service.split('|')[3] ?? ''
    if (!serviceHost || backendPods(cluster, objects, serviceHost).length === 0) {
      return {error: `${proxy}: unknown cluster '${service}' (globalRateLimit.rateLimitService of ${router} has no healthy host)`, ...at}
    }
    const plan = view.globalPlan(mr!, call.attributes, call.protocol)
    if (plan && !limits.global.take(String(global.domain ?? ''), plan)) {
      return {error: `${proxy}: over limit (globalRateLimit of ${router}: ${plan.limit!.requestsPerUnit} per ${plan.limit!.unit} for ${plan.descriptor.map((d) => `${d.key}=${d.value}`).join(',')})`, ...at}
    }
  }
  return {pod, ...at}
}

export type RateLimits = {local: LocalRateLimits; global: GlobalRateLimits}

export function newRateLimits(): RateLimits {
  return {local: new LocalRateLimits(), global: new GlobalRateLimits()}
}

/** A demo client container: once running, one call per interval, logging which pod answered (or why none did). */
export function demoClientBehaviour(cluster: Cluster, pod: KubeObject, container: any, limits: RateLimits, intervalMs: number): ContainerBehaviour | undefined {
  const role = ROLES.find(([re]) => re.test(String(container.image)))?.[1]
  if (!role) return undefined
  return {
    run(log) {
      let turn = 0
      const timer = setInterval(() => {
        try {
          const call = role.call(pod, container, cluster)
          const a = answerCall(cluster, call, turn++, limits)
          recordCall(cluster, pod, call, a)
          log(a.pod ? `Hello Aeraki, response from ${a.pod.metadata!.name}/${(a.pod.status as any).podIP}` : `Error: ${a.error}`)
        } catch (e) {
          cluster.emit('controllerError', e)
        }
      }, Math.max(5, intervalMs))
      return () => clearInterval(timer)
    },
  }
}
