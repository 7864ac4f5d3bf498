// From app-log's flags to AppLogOptions, with every check a user can fix named after its flag (exit 2).
import {namespaceOf} from '../kube/pod-target.js'
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
  // istioctl's NAME.NAMESPACE form (client.meta-thrift) when no namespace is given otherwise.
  const dotted = !f.namespaceArg && !f.namespaceFlag && f.app ? /^([a-z0-9][-a-z0-9]*)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(f.app) : null
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
    namespace,
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

/** RE2 (re2js), as stern's Go regexp: linear time whatever the pattern, so `(\S+\s*)*x` cannot hang a follow. */
function regexes(list: string[] | undefined, flag: string): UserPattern[] {
  return (list ?? []).map((r) => userPattern(r, flag))
}
