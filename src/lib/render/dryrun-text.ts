// The human rendering of a dry-run: the route walk, the decision, its clusters as a bar chart, and findings.
import type {ChalkInstance} from 'chalk'
import type {DryRunResult} from '../dryrun/run.js'
import type {MatcherTrace} from '../routing/match.js'
import {renderFindings} from './findings-text.js'
import {bar, padEnd, palette, percent} from './style.js'

const OUTCOME_TEXT: Record<string, string> = {
  'rejected-by-webhook': 'Aeraki\'s validating webhook rejects the MetaRouter: the API server refuses it, so it never takes effect.',
  'nacked-by-proxy': 'Aeraki accepts the MetaRouter, but the proxy rejects (NACKs) the whole route table: it keeps the previous table for this service, or answers RouteNotFound to every request if it never had one.',
  nondeterministic: 'Several MetaRouters name this host. Aeraki uses one of them, chosen arbitrarily, and never merges them. Each possible outcome is listed.',
  'no-meta-protocol-proxy-on-client': 'The MetaRouter is not exported to the client\'s namespace: that client has no MetaProtocol proxy for this service and connects over plain TCP (per-connection load balancing, no MetaRouter routing).',
}

export function renderDryRunText(r: DryRunResult, color: boolean): string {
  const c = palette(color)
  const p = r.prediction
  const out: string[] = []
  // At least one space after the label, also for labels as long as the column ("Rate limit").
  const label = (s: string) => c.bold(padEnd(s, Math.max(10, s.length + 1)))
  const attrs = r.request.attributes.map(([k, v]) => `${k}=${v}`).join(' ') || '(no attributes)'
  const from = r.request.from === 'flags' ? '' : c.dim(` (${r.request.from === 'none' ? 'no --attr given' : `the ${r.request.from}'s request; change with --attr, or --no-attrs`})`)
  out.push(`${label('Request')}${attrs}${from}`)
  out.push(`${label('')}${c.dim(`+ x-meta-protocol-application-protocol=${p.service.applicationProtocol} (added by the proxy)`)}`)
  // A route-only dump does not say the protocol: no empty "()".
  const about = [p.service.applicationProtocol, p.service.codec ? `codec ${p.service.codec}` : ''].filter(Boolean).join(', ')
  out.push(`${label('Service')}${p.service.host}:${p.service.port}${about ? ` ${c.dim(`(${about})`)}` : ''}`)
  const fromDump = r.sources.some(s => s.startsWith('config dump'))
  const tableNote = fromDump
    ? c.dim(` (as the proxy holds it${p.table.versionInfo ? `, version ${p.table.versionInfo}` : ''}${p.table.lastUpdated ? `, updated ${p.table.lastUpdated}` : ''})`)
    : p.metaRouter ? ` from MetaRouter ${p.metaRouter}` : c.dim(' (no MetaRouter: Aeraki\'s default route)')
  out.push(`${label('Table')}${p.routeConfig}${tableNote}`)
  out.push(`${label('Inputs')}${r.sources.join(', ')}`)
  out.push('')

  if (p.configOutcome) {
    out.push(`${c.bold.red('Config')}    ${c.red(p.configOutcome)}`)
    const byDestinationRule = p.possibleOutcomes?.some(o => o.destinationRule) ?? false
    out.push(`          ${byDestinationRule ? 'Several DestinationRules name this host. Aeraki reads one of them, which one can change from push to push, and their hash policies differ. Each possible outcome is listed.' : (OUTCOME_TEXT[p.configOutcome] ?? '')}`)
    for (const o of p.possibleOutcomes ?? []) {
      const route = o.route ? `route #${o.route.index} "${o.route.name}"` : 'no route'
      const target = `${o.clusters.map(x => `${x.name} ${percent(x.share)}`).join(', ') || o.error}`
      if (o.destinationRule) out.push(`          if DestinationRule ${o.destinationRule} is read: ${route} → ${target}, hash on ${o.hashPolicy?.length ? o.hashPolicy.join(', ') : 'nothing'}`)
      else out.push(`          if ${o.metaRouter} is used: ${route} → ${target}`)
    }
    if (p.configOutcome === 'no-meta-protocol-proxy-on-client') for (const x of p.clusters) out.push(`          → ${x.name}`)
    out.push('')
  }

  if (p.walk.length > 0) {
    out.push(c.bold('Route walk') + c.dim(' (first match wins)'))
    for (const t of p.walk) {
      const mark = t.matched ? c.green('✔') : c.red('✘')
      const name = t.name === '' ? c.dim('(unnamed)') : `"${t.name}"`
      const head = `  ${mark} #${t.index} ${name}`
      if (t.matchers.length === 0) out.push(`${head}  ${c.dim('no match conditions: matches every request')}`)
      else {
        out.push(head)
        for (const m of t.matchers) out.push(`      ${matcherLine(m, c)}`)
      }
    }
    const unvisited = p.table.routes.length - p.walk.length
    if (unvisited > 0) out.push(c.dim(`  … ${unvisited} later route${unvisited === 1 ? '' : 's'} not evaluated`))
    out.push('')
  }

  if (!p.configOutcome) {
    if (!p.route) {
      out.push(`${label('Result')}${c.red.bold(p.error ?? 'RouteNotFound')}: no route matches; the proxy answers with a local error (there is no fallback to the default route once a MetaRouter has routes)`)
    } else {
      out.push(`${label('Result')}route #${p.route.index} ${p.route.name === '' ? '(unnamed)' : `"${p.route.name}"`}${p.error ? ` ${c.red.bold(`→ ${p.error}`)}` : ''}`)
      const width = Math.max(...p.clusters.map(x => x.name.length))
      for (const x of p.clusters) {
        const picked = p.selectedCluster === x.name && p.clusters.length > 1
        const note = x.exists === false ? c.red(' (cluster does not exist)') : ''
        const line = `  ${padEnd(x.name, width)}  ${String(x.weight).padStart(3)}  ${percent(x.share).padStart(6)}  ${c.cyan(bar(x.share))}${note}`
        out.push(picked ? c.bold(`${line}  ← picked`) : line)
      }
      if (p.pick) out.push(c.dim(`  random value ${p.pick.randomValue} % ${p.pick.total} = ${p.pick.selected}, in [${p.pick.interval[0]}, ${p.pick.interval[1]})`))
      if (p.hashPolicy.length > 0) out.push(`${label('Hash')}on ${p.hashPolicy.join(', ')} ${c.dim('(chooses the pod inside the cluster, not the cluster)')}`)
      if (p.mirror) {
        const real = p.mirror.probability === p.mirror.nominalProbability ? '' : ` ${c.dim(`(real chance ${(p.mirror.probability * 100).toPrecision(7)}%: glibc rand() % 10^6)`)}`
        out.push(`${label('Mirror')}${p.mirror.cluster} for ${percent(p.mirror.nominalProbability)} of requests${real} ${c.dim('(copy; its response is dropped)')}`)
      }
      if (p.requestMutation.length > 0) {
        const wire = p.requestMutationOnWire ? '' : c.yellow(` (the ${p.service.applicationProtocol} codec does not write it on the wire)`)
        out.push(`${label('Mutation')}${p.requestMutation.map(kv => `${kv.key}=${kv.value}`).join(' ')}${wire}`)
      }
    }
    if (p.rateLimit) {
      const rl = p.rateLimit
      const parts = [`${rl.sequence} requests back to back: ${rl.allowed} allowed, ${rl.rejected} rejected (OverLimit)`]
      if (rl.local) parts.push(`local bucket ${rl.local.bucket ?? 'none'}${rl.local.capacity !== null ? ` of ${rl.local.capacity}` : ''}`)
      if (rl.global) parts.push(`global: ${rl.global.decision}${rl.global.limit ? ` ${rl.global.limit.requestsPerUnit}/${rl.global.limit.unit}` : ''}`)
      out.push(`${label('Rate limit')}${parts.join('; ')} ${c.dim(`(${rl.enforcedAt})`)}`)
      const o = rl.clientObserved
      if (o) {
        const range = (x: [number, number]) => (x[0] === x[1] ? `${x[0]}` : `${x[0]}–${x[1]}`)
        out.push(`${label('')}with ${o.serverPods} server pods (${o.from}) the client sees ${range(o.allowed)} allowed, ${range(o.rejected)} rejected ${c.dim('(each pod has its own local buckets; the load balancer decides)')}`)
      }
    }
    if (p.samples) {
      out.push(`${label('Samples')}${p.samples.n} random values:`)
      for (const x of p.clusters) {
        const n = p.samples.counts[x.name] ?? 0
        const share = p.samples.n > 0 ? n / p.samples.n : 0
        out.push(`  ${x.name}  ${String(n).padStart(10)}  ${percent(share).padStart(6)} ${c.dim(`(exact ${percent(x.share)})`)}`)
      }
    }
  }
  if (r.sources.length === 1 && r.sources[0].startsWith('embedded') && !r.template && !p.metaRouter) {
    out.push('')
    out.push(c.dim('Next: add the seed tutorial\'s MetaRouter with --template method-route, or the 20/80 split with --template traffic-split --samples 10000'))
  }
  if (p.findings.length > 0) {
    out.push('')
    out.push(c.bold('Findings'))
    out.push(...renderFindings(p.findings, c))
  }
  return `${out.join('\n')}\n`
}

function matcherLine(m: MatcherTrace, c: ChalkInstance): string {
  const mk = m.matcher
  const want = mk.kind === 'present' ? 'present' : mk.kind === 'exact' && mk.value === '' ? 'exact "" (present, any value)' : `${mk.kind} ${JSON.stringify(mk.value)}`
  const got = m.actual === null ? 'absent' : JSON.stringify(m.actual)
  const verdict = m.matched ? c.green('ok') : c.red(m.reason === 'missing' ? 'attribute absent' : 'no match')
  return `${mk.name} ${want}: got ${got} ${verdict}`
}
