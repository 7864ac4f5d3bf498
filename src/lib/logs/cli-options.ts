// From app-log's flags to AppLogOptions, with every check a user can fix named after its flag (exit 2).
import {namespaceOf, parsePodTarget} from '../kube/pod-target.js'
import {InputError} from '../resources/errors.js'
import {parseGoDuration} from '../routing/duration.js'
import type {OutputFormat} from './format.js'
import {defaultMaxLogRequests, type AppLogOptions} from './options.js'
import type {ContainerChoice} from './targets.js'
import {userPattern, type UserPattern} from '../re2/user-pattern.js'

export interface AppLogFlags {
  app?: string
  namespaceArg?: string
  namespaceFlag?: string
  /** app-log's -n, repeatable (and comma-separated) as in stern; namespaceFlag is the single -n of other commands. */
  namespaceFlags?: string[]
  allNamespaces?: boolean
  contextNamespace: string
  selector?: string
  container?: string[]
  sidecar?: boolean
  follow?: boolean
  tail?: number
  since?: string
  sinceTime?: string
  timestamps?: boolean
  include?: string[]
  exclude?: string[]
  output?: string
  maxLogRequests?: number
  tally?: boolean
}

export function buildOptions(f: AppLogFlags, terminal: {color: boolean; stdoutIsTTY: boolean}): AppLogOptions {
  if (!f.app && !f.selector) throw new InputError('name an APP (a part of the pod names, e.g. client) or give -l SELECTOR', 'APP')
  const {scope, single} = namespaceScope(f)
  if (scope) {
    if (f.tally) throw new InputError(`counts the answers of one demo client: give one namespace (not ${scope === 'all' ? '-A' : 'several -n'})`, '--tally')
    if (f.app && parsePodTarget(f.app).by === 'resource') throw new InputError(`${f.app} names an object of one namespace: give one -n (not ${scope === 'all' ? '-A' : 'several'})`, 'APP')
  }
  if (single) f = {...f, namespaceFlag: single}
  // istioctl's NAME.NAMESPACE form (client.meta-thrift) when no namespace is given otherwise.
  const dotted = !scope && !f.namespaceArg && !f.namespaceFlag && f.app ? /^([a-z0-9][-a-z0-9]*)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(f.app) : null
  if (dotted) f = {...f, app: dotted[1], namespaceArg: dotted[2]}
  const namespace = namespaceOf(f.namespaceArg, f.namespaceFlag) ?? f.contextNamespace
  const follow = Boolean(f.follow)
  if (f.tail !== undefined && f.tail < -1) throw new InputError('must be -1 (everything) or more', '--tail')
  if (f.since && f.sinceTime) throw new InputError('give either --since or --since-time', '--since')
  let sinceSeconds: number | undefined
  if (f.since) {
    const ms = parseGoDuration(f.since)
    if (ms === undefined || ms <= 0) throw new InputError(`"${f.since}" is not a duration such as 30s, 10m or 1h30m`, '--since')
    sinceSeconds = Math.ceil(ms / 1000)
  }
  let sinceTime: string | undefined
  if (f.sinceTime) {
    const t = Date.parse(f.sinceTime)
    if (!/^\d{4}-\d\d-\d\dT/.test(f.sinceTime) || Number.isNaN(t)) throw new InputError(`"${f.sinceTime}" is not an RFC3339 time such as 2026-01-02T15:04:05Z`, '--since-time')
    sinceTime = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }
  if (f.sidecar && f.container?.length) throw new InputError('--sidecar tails istio-proxy; leave out -c or --sidecar', '--sidecar')
  const containers: ContainerChoice = f.sidecar ? {kind: 'sidecar'} : f.container?.length ? {kind: 'named', names: [...new Set(f.container.flatMap((c) => c.split(',')).filter(Boolean))]} : {kind: 'app'}
  const output = (f.output === 'text' || f.output === undefined ? 'table' : f.output) as OutputFormat
  if (f.maxLogRequests !== undefined && f.maxLogRequests < 1) throw new InputError('must be 1 or more', '--max-log-requests')
  return {
    namespace: scope === 'all' ? namespace : scope?.[0] ?? namespace,
    ...(scope ? {namespaces: scope} : {}),
    app: f.app,
    selector: f.selector,
    containers,
    follow,
    ...(f.tail !== undefined && f.tail >= 0 ? {tailLines: f.tail} : {}),
    ...(sinceSeconds !== undefined ? {sinceSeconds} : {}),
    ...(sinceTime !== undefined ? {sinceTime} : {}),
    timestamps: Boolean(f.timestamps),
    include: regexes(f.include, '--include'),
    exclude: regexes(f.exclude, '--exclude'),
    output,
    maxLogRequests: f.maxLogRequests ?? defaultMaxLogRequests(follow),
    tally: Boolean(f.tally),
    color: terminal.color && output === 'table',
    footer: Boolean(f.tally) && follow && terminal.stdoutIsTTY && output === 'table',
  }
}

/**
 * stern's namespace flags: -A (every namespace) or -n given more than once (or as a,b); for one namespace, `single`.
 * With several, the NAMESPACE argument must be one of them (it is aerakictl.sh's form of -n).
 */
function namespaceScope(f: AppLogFlags): {scope?: 'all' | string[]; single?: string} {
  const named = [...new Set((f.namespaceFlags ?? []).flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean))]
  if (f.allNamespaces) {
    if (named.length > 0 || f.namespaceArg) throw new InputError('reads every namespace: leave out -n and the NAMESPACE argument', '--all-namespaces')
    return {scope: 'all'}
  }
  for (const n of named) if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n)) throw new InputError(`"${n}" is not a namespace name`, '--namespace')
  if (named.length < 2) return {single: named[0]}
  if (f.namespaceArg && !named.includes(f.namespaceArg)) throw new InputError(`the NAMESPACE argument "${f.namespaceArg}" is not among -n ${named.join(',')}; give the namespaces with -n only`, 'NAMESPACE')
  return {scope: named}
}

/** RE2 (re2js), as stern's Go regexp: linear time whatever the pattern, so `(\S+\s*)*x` cannot hang a follow. */
function regexes(list: string[] | undefined, flag: string): UserPattern[] {
  return (list ?? []).map((r) => userPattern(r, flag))
}
