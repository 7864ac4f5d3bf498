// Server-side printing (meta.k8s.io/v1 Table), so `kubectl get` shows the usual columns.
import type {KubeObject} from './types.js'
import type {ResourceType} from './resources.js'

interface Column {name: string; type: string; format?: string; description: string; priority: number}

export function age(ts: string | undefined, now = Date.now()): string {
  if (!ts) return '<unknown>'
  const s = Math.max(0, Math.floor((now - Date.parse(ts)) / 1000))
  if (s < 120) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h}h`
  return `${Math.floor(h / 24)}d`
}

const col = (name: string, type = 'string', priority = 0, format?: string): Column => ({name, type, ...(format ? {format} : {}), description: name, priority})

export function podStatusReason(pod: KubeObject): string {
  const st: any = pod.status ?? {}
  if (pod.metadata?.deletionTimestamp) return 'Terminating'
  for (const cs of st.initContainerStatuses ?? []) {
    if (cs.state?.waiting?.reason && cs.state.waiting.reason !== 'PodInitializing') return `Init:${cs.state.waiting.reason}`
  }
  let reason = st.reason ?? st.phase ?? 'Pending'
  for (const cs of st.containerStatuses ?? []) {
    if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason
    else if (cs.state?.terminated?.reason) reason = cs.state.terminated.reason
  }
  return reason
}

function podRow(pod: KubeObject): unknown[] {
  const st: any = pod.status ?? {}
  const containers: any[] = (pod.spec as any)?.containers ?? []
  const statuses: any[] = st.containerStatuses ?? []
  const ready = statuses.filter((c) => c.ready).length
  const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0)
  return [pod.metadata?.name, `${ready}/${containers.length}`, podStatusReason(pod), restarts, age(pod.metadata?.creationTimestamp as string), st.podIP ?? '<none>', (pod.spec as any)?.nodeName ?? '<none>', '<none>', '<none>']
}

const PRINTERS: Record<string, {columns: Column[]; row: (o: KubeObject) => unknown[]}> = {
  '/pods': {
    columns: [col('Name', 'string', 0, 'name'), col('Ready'), col('Status'), col('Restarts', 'string'), col('Age'), col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
    row: podRow,
  },
  '/namespaces': {
    columns: [col('Name', 'string', 0, 'name'), col('Status'), col('Age')],
    row: (o) => [o.metadata?.name, (o.status as any)?.phase ?? 'Active', age(o.metadata?.creationTimestamp as string)],
  },
  '/services': {
    columns: [col('Name', 'string', 0, 'name'), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), col('Selector', 'string', 1)],
    row: (o) => {
      const s: any = o.spec ?? {}
      const ports = (s.ports ?? []).map((p: any) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>'
      const sel = Object.entries(s.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'
      return [o.metadata?.name, s.type ?? 'ClusterIP', s.clusterIP ?? '<none>', '<none>', ports, age(o.metadata?.creationTimestamp as string), sel]
    },
  },
  'apps/deployments': {
    columns: [col('Name', 'string', 0, 'name'), col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    row: (o) => {
      const s: any = o.status ?? {}
      const spec: any = o.spec ?? {}
      const cs: any[] = spec.template?.spec?.containers ?? []
      return [o.metadata?.name, `${s.readyReplicas ?? 0}/${spec.replicas ?? 1}`, s.updatedReplicas ?? 0, s.availableReplicas ?? 0, age(o.metadata?.creationTimestamp as string),
        cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(','), Object.entries(spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')]
    },
  },
  'apps/replicasets': {
    columns: [col('Name', 'string', 0, 'name'), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Age')],
    row: (o) => [o.metadata?.name, (o.spec as any)?.replicas ?? 0, (o.status as any)?.replicas ?? 0, (o.status as any)?.readyReplicas ?? 0, age(o.metadata?.creationTimestamp as string)],
  },
  '/endpoints': {
    columns: [col('Name', 'string', 0, 'name'), col('Endpoints'), col('Age')],
    row: (o: any) => {
      const eps = (o.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).flatMap((a: any) => (s.ports ?? [{}]).map((p: any) => (p.port ? `${a.ip}:${p.port}` : a.ip))))
      return [o.metadata?.name, eps.length ? eps.slice(0, 3).join(',') + (eps.length > 3 ? ` + ${eps.length - 3} more...` : '') : '<none>', age(o.metadata?.creationTimestamp)]
    },
  },
  '/events': {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message')],
    row: (o: any) => [age(o.lastTimestamp ?? o.metadata?.creationTimestamp), o.type, o.reason, `${(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name}`, o.message],
  },
}

const GENERIC = {columns: [col('Name', 'string', 0, 'name'), col('Age')], row: (o: KubeObject) => [o.metadata?.name, age(o.metadata?.creationTimestamp as string)]}

/** Simple JSONPath of printer columns (`.spec.host`, `.spec.hosts`, `.metadata.creationTimestamp`). */
function jsonPathValue(o: KubeObject, path: string): unknown {
  let cur: any = o
  for (const seg of path.replace(/^\./, '').split('.')) cur = cur?.[seg]
  return cur
}

function crdPrinter(t: ResourceType) {
  const extra = t.printerColumns ?? []
  return {
    columns: [col('Name', 'string', 0, 'name'), ...extra.map((c) => ({name: c.name, type: c.type, ...(c.type === 'date' ? {format: ''} : {}), description: c.description ?? c.name, priority: c.priority ?? 0}))],
    row: (o: KubeObject) => [o.metadata?.name, ...extra.map((c) => {
      const v = jsonPathValue(o, c.jsonPath)
      if (c.type === 'date') return age(v as string)
      if (v === undefined || v === null) return null
      return typeof v === 'object' ? JSON.stringify(v) : v
    })],
  }
}

/** Whether the Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return Boolean(accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept))
}

export function toTable(t: ResourceType, objects: KubeObject[], listMeta: Record<string, unknown>, includeObject = 'Metadata'): Record<string, unknown> {
  const printer = PRINTERS[`${t.group}/${t.plural}`] ?? (t.printerColumns ? crdPrinter(t) : GENERIC)
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions: printer.columns,
    rows: objects.map((o) => ({
      cells: printer.row(o),
      object: includeObject === 'None' ? undefined : includeObject === 'Object' ? o : {kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata},
    })),
  }
}
