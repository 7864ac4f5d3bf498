// What `install demo` applies: the demo manifests of the chosen demos, each object tagged with the status line
// (component) it belongs to, in apply order (namespaces first, so everything else has somewhere to go).
import type {KubeObject, Loaded} from '../resources/types.js'
import {resourceName} from '../resources/kinds.js'
import {InputError} from '../resources/errors.js'
import {DEMOS, type DemoInfo} from '../demo/world.js'

export type DemoName = 'thrift' | 'dubbo'
export const DEMO_CHOICES = ['thrift', 'dubbo', 'all'] as const
export type DemoChoice = (typeof DEMO_CHOICES)[number]

export type ComponentKind = 'namespace' | 'deployments' | 'services' | 'destination rules' | 'rate-limit server'
export const COMPONENT_ORDER: ComponentKind[] = ['namespace', 'deployments', 'services', 'destination rules', 'rate-limit server']

export interface PlannedObject {
  obj: KubeObject
  demo: DemoInfo
  component: ComponentKind
  /** "Deployment meta-thrift/thrift-sample-client" */
  ref: string
}

export interface Component {
  /** "meta-thrift/deployments": one status line each. */
  key: string
  namespace: string
  kind: ComponentKind
  objects: PlannedObject[]
}

export function selectDemos(choice: string | undefined): DemoInfo[] {
  const c = choice ?? 'all'
  if (c === 'all') return [DEMOS.thrift, DEMOS.dubbo]
  if (c === 'thrift' || c === 'dubbo') return [DEMOS[c]]
  throw new InputError(`unknown demo "${c}": expected one of ${DEMO_CHOICES.join(', ')}`, 'demo')
}

/** The rate-limit server (its ConfigMap, Deployment and Service) gets its own line: the global-ratelimit template needs it. */
export function componentOf(obj: KubeObject): ComponentKind {
  if (obj.kind === 'Namespace') return 'namespace'
  if ((obj.metadata?.name ?? '').startsWith('rate-limit')) return 'rate-limit server'
  if (obj.kind === 'DestinationRule') return 'destination rules'
  if (obj.kind === 'Service' || obj.kind === 'ServiceEntry') return 'services'
  return 'deployments' // Deployments and the ConfigMaps they mount
}

function namespaceOf(obj: KubeObject): string | undefined {
  return obj.kind === 'Namespace' ? obj.metadata?.name : obj.metadata?.namespace
}

export function planObjects(manifests: Loaded[], demos: DemoInfo[]): PlannedObject[] {
  const planned: PlannedObject[] = []
  for (const demo of demos) {
    for (const l of manifests) {
      if (namespaceOf(l.obj) !== demo.namespace) continue
      planned.push({obj: l.obj, demo, component: componentOf(l.obj), ref: resourceName(l.obj)})
    }
    if (!planned.some(p => p.demo === demo && p.component === 'namespace')) throw new Error(`the ${demo.name} demo manifests have no Namespace ${demo.namespace}`)
  }
  // Stable: namespaces first, everything else in manifest order.
  return [...planned.filter(p => p.component === 'namespace'), ...planned.filter(p => p.component !== 'namespace')]
}

export function componentsOf(planned: PlannedObject[]): Component[] {
  const out: Component[] = []
  const namespaces = [...new Set(planned.map(p => p.demo.namespace))]
  for (const ns of namespaces) {
    for (const kind of COMPONENT_ORDER) {
      const objects = planned.filter(p => p.demo.namespace === ns && p.component === kind)
      if (objects.length > 0) out.push({key: `${ns}/${kind}`, namespace: ns, kind, objects})
    }
  }
  return out
}

export function componentKey(p: PlannedObject): string {
  return `${p.demo.namespace}/${p.component}`
}

export async function loadPlan(choice: string | undefined): Promise<PlannedObject[]> {
  const demos = selectDemos(choice)
  const {loadDemoManifests} = await import('../demo/world.js')
  return planObjects(await loadDemoManifests(), demos)
}
