// How every command names pods, one way: `[KIND/]NAME` as kubectl and stern take it, plus aerakictl.sh's plain
// APP (`kubectl get pods | grep APP`). `pod/NAME` is that pod; `deploy/NAME` (svc, sts, ds, rs, job) the pods its
// selector picks; a plain word is a pod's full name when one has it, else a part of pod names. Also the one check
// of a NAMESPACE argument against -n, and the one wording of "no pod matches".
import {InputError} from '../resources/errors.js'
import {byName} from './order.js'

export interface ResourceKind {
  apiVersion: string
  kind: string
  /** `plural.group` for messages and RBAC targets. */
  resource: string
}

const KINDS: Record<string, ResourceKind> = {}
for (const [names, k] of [
  [['deploy', 'deployment', 'deployments'], {apiVersion: 'apps/v1', kind: 'Deployment', resource: 'deployments.apps'}],
  [['rs', 'replicaset', 'replicasets'], {apiVersion: 'apps/v1', kind: 'ReplicaSet', resource: 'replicasets.apps'}],
  [['sts', 'statefulset', 'statefulsets'], {apiVersion: 'apps/v1', kind: 'StatefulSet', resource: 'statefulsets.apps'}],
  [['ds', 'daemonset', 'daemonsets'], {apiVersion: 'apps/v1', kind: 'DaemonSet', resource: 'daemonsets.apps'}],
  [['job', 'jobs'], {apiVersion: 'batch/v1', kind: 'Job', resource: 'jobs.batch'}],
  [['svc', 'service', 'services'], {apiVersion: 'v1', kind: 'Service', resource: 'services'}],
] as Array<[string[], ResourceKind]>) for (const n of names) KINDS[n] = k

const POD_KINDS = new Set(['po', 'pod', 'pods'])

export type PodTarget =
  | {by: 'pod'; name: string}
  | {by: 'resource'; name: string; resource: ResourceKind}
  | {by: 'name'; text: string}

/** Parses `[KIND/]NAME`; an unknown KIND is an error named after `field` (the argument it came from). */
export function parsePodTarget(text: string, field = 'APP'): PodTarget {
  const slash = text.indexOf('/')
  if (slash < 0) return {by: 'name', text}
  const kind = text.slice(0, slash).toLowerCase()
  const name = text.slice(slash + 1)
  if (!name || name.includes('/')) throw new InputError(`"${text}" is not KIND/NAME (e.g. pod/NAME, deploy/NAME) nor a part of a pod name`, field)
  if (POD_KINDS.has(kind)) return {by: 'pod', name}
  const resource = KINDS[kind]
  if (!resource) throw new InputError(`unknown kind "${kind}" in "${text}"; use pod/, deploy/, svc/, sts/, ds/, rs/ or job/, or a part of a pod name`, field)
  return {by: 'resource', name, resource}
}

/** For messages: what the target asks for. */
export function describeTarget(t: PodTarget, selector?: string): string {
  const what = t.by === 'pod' ? `pod/${t.name}` : t.by === 'resource' ? `${t.resource.kind.toLowerCase()}/${t.name}` : `"${t.text}" (full name or part of a name)`
  return selector ? `${what} and selector ${selector}` : what
}

/**
 * The pod names a target picks among `names` (for `resource`, the caller has listed by the resource's selector
 * already, so all of them): the exact name when one pod has it, else every name containing the text.
 */
export function matchPodNames(t: PodTarget, names: string[]): string[] {
  if (t.by === 'resource') return names
  if (t.by === 'pod') return names.filter((n) => n === t.name)
  if (names.includes(t.text)) return [t.text]
  return names.filter((n) => n.includes(t.text))
}

/** Whether a pod that appears later (app-log -f) belongs to the target: the same rule, one name at a time. */
export function podNameMatcher(t: PodTarget | undefined): (name: string) => boolean {
  if (!t || t.by === 'resource') return () => true
  if (t.by === 'pod') return (n) => n === t.name
  return (n) => n === t.text || n.includes(t.text)
}

/** One pod among the matches (as aerakictl.sh's `head -n 1`): running pods first, then by name. */
export function pickPod<P extends {name: string; phase: string}>(hits: P[]): P | undefined {
  const sorted = [...hits].sort((a, b) => byName(a.name, b.name))
  return sorted.find((p) => p.phase === 'Running') ?? sorted[0]
}

/** The one "no pod matches" wording, listing what the namespace does hold. */
export function noPodMessage(namespace: string, wanted: string, names: string[], running = false): string {
  const sorted = [...names].sort()
  const there = sorted.length ? `pods there: ${sorted.slice(0, 10).join(', ')}${sorted.length > 10 ? `, … (${sorted.length} in all)` : ''}` : 'there are no pods in it'
  return `no ${running ? 'running ' : ''}pod in namespace ${namespace} matches ${wanted}; ${there}`
}

/** NAMESPACE may come as an argument (aerakictl.sh style) or as -n; both must agree. */
export function namespaceOf(argument: string | undefined, flag: string | undefined): string | undefined {
  if (argument && flag && argument !== flag) throw new InputError(`the NAMESPACE argument "${argument}" and -n "${flag}" disagree; give one`, 'NAMESPACE')
  return argument ?? flag
}

/** A workload's label selector in kubectl's syntax (a=b,c in (d,e),!f): spec.selector, or a Service's spec.selector. */
export function selectorOf(obj: any, kind: string): string {
  const sel = kind === 'Service' ? {matchLabels: obj?.spec?.selector} : obj?.spec?.selector ?? {}
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`)
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',')
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`)
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`)
    else if (e.operator === 'Exists') parts.push(e.key)
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`)
  }
  return parts.join(',')
}
