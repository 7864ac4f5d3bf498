// `route verify -o text`: one line per route table with its verdict, then what differs, route by route.
import type {RouteDifference} from '../verify/diff.js'
import type {VerifyRun} from '../verify/run.js'
import type {TableVerdict} from '../verify/verify.js'
import {palette} from './style.js'

const FIELD_LABEL: Record<string, string> = {
  name: 'name', matchers: 'match', destination: 'destination', hashPolicy: 'hash policy', mirror: 'mirror', requestMutation: 'request mutation', responseMutation: 'response mutation',
}

function differenceLines(d: RouteDifference): string[] {
  switch (d.kind) {
    case 'changed':
      return [`route ${d.position} "${d.route}":`, ...d.fields.flatMap((f) => [`  ${FIELD_LABEL[f.field]}:`, `    expected: ${f.expected}`, `    sidecar:  ${f.actual}`])]
    case 'only-expected':
      return [`route ${d.position} "${d.route}": expected, but the sidecar does not have it`]
    case 'only-sidecar':
      return [`route ${d.position} "${d.route}": in the sidecar, but not expected`]
    case 'moved':
      return [`route "${d.route}": expected at #${d.expectedPosition}, the sidecar has it at #${d.sidecarPosition} (the first matching route wins)`]
  }
}

function sidecarVersionText(v: TableVerdict['sidecar']): string {
  if (!v) return ''
  return `version ${v.versionInfo ?? '-'}${v.lastUpdated ? `, updated ${v.lastUpdated}` : ''}`
}

function sourcesText(t: TableVerdict): string {
  const sources = t.expected?.sources ?? []
  if (sources.length === 0) return 'no MetaRouter (default route)'
  return sources.map((s) => `${s.name}${s.resourceVersion ? ` resourceVersion ${s.resourceVersion}` : ''}${s.changedAt ? ` changed ${s.changedAt}` : ''}`).join('; ')
}

function headline(t: TableVerdict): string {
  switch (t.status) {
    case 'in-sync':
      return `in sync (${sidecarVersionText(t.sidecar)}; ${t.sidecar!.routes} route(s))`
    case 'different':
      return `different (sidecar ${sidecarVersionText(t.sidecar)})`
    case 'stale':
      return `stale: the sidecar's copy (${sidecarVersionText(t.sidecar)}) is older than ${sourcesText(t)}`
    case 'missing':
      return 'missing: the sidecar has no route table of this name (Aeraki has not pushed it, or the sidecar is not a meta-protocol-proxy)'
    case 'extra':
      return `extra: in the sidecar (${sidecarVersionText(t.sidecar)}) but produced by none of the objects${t.failing ? '' : ' given (not counted: -f files are only part of the mesh)'}`
  }
}

export function renderVerifyText(run: VerifyRun, color: boolean): string {
  const c = palette(color)
  const mark = (t: TableVerdict) => (t.status === 'in-sync' ? c.green('✔') : t.failing ? c.red('✘') : c.yellow('!'))
  const where = run.sidecar.source === 'file' ? `the dump ${run.sidecar.file}` : `${run.sidecar.namespace}/${run.sidecar.pod} (read via ${run.sidecar.method})`
  const lines = [`Route tables of ${where} against ${run.objects.count} object(s) from ${run.objects.source === 'files' ? 'the -f files' : 'the cluster'}:`, '']
  if (!run.hasMetaProtocolSection) lines.push(c.yellow('The dump has no Aeraki MetaProtocol routes section: the sidecar does not run the MetaProtocol proxy (check the sidecar.istio.io/proxyImage annotation).'), '')
  for (const t of run.report.tables) {
    lines.push(`${mark(t)} ${c.bold(t.name)}  ${headline(t)}`)
    if (t.status === 'different' || t.status === 'stale') {
      if (t.status === 'different') lines.push(`    from: ${sourcesText(t)}`)
      for (const d of t.differences) for (const l of differenceLines(d)) lines.push(`    ${l}`)
    }
  }
  if (run.report.tables.length === 0) lines.push('No MetaProtocol route tables expected, and none in the sidecar.')
  for (const w of run.warnings) lines.push(c.yellow(`warning: ${w}`))
  const n = run.report.counts
  lines.push('', `${n['in-sync']} in sync, ${n.different} different, ${n.stale} stale, ${n.missing} missing, ${n.extra} extra: ${run.report.inSync ? c.green('in sync') : c.red('NOT in sync')}`)
  return lines.join('\n') + '\n'
}
