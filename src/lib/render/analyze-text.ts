// istioctl-analyze style lines: `Error [CODE] (Kind ns/name file:line:col) path: message`.
import type {AnalyzeResult} from '../analyze/analyze.js'
import type {Finding} from '../resources/types.js'
import {palette} from './style.js'

export function renderAnalyzeText(r: AnalyzeResult, scope: string, color: boolean): string {
  const c = palette(color)
  if (r.findings.length === 0) {
    return `${c.green('✔')} No validation issues found when analyzing ${scope} (${r.analyzed.metaRouters} MetaRouters, ${r.analyzed.services} services, ${r.analyzed.destinationRules} DestinationRules).\n`
  }
  return renderFindingLines(r.findings, color)
}

/** One line per finding, most severe first as given. */
export function renderFindingLines(findings: ReadonlyArray<Finding>, color: boolean): string {
  const c = palette(color)
  const lines = findings.map(f => {
    const level = f.severity === 'error' ? c.red('Error') : f.severity === 'warning' ? c.yellow('Warning') : c.cyan('Info')
    const where = [f.resource, f.location].filter(Boolean).join(' ')
    return `${level} [${f.code}]${where ? ` (${where})` : ''} ${f.path ? `${f.path}: ` : ''}${f.message}`
  })
  return `${lines.join('\n')}\n`
}
