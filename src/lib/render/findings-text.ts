import type {Finding} from '../resources/types.js'
import type {ChalkInstance} from 'chalk'

export function renderFindings(findings: ReadonlyArray<Finding>, c: ChalkInstance): string[] {
  return findings.map(f => {
    const sev = f.severity === 'error' ? c.red('error  ') : f.severity === 'warning' ? c.yellow('warning') : c.cyan('info   ')
    const where = [f.resource, f.path].filter(Boolean).join(' ')
    const loc = f.location ? c.dim(` (${f.location})`) : ''
    return `  ${sev} ${c.bold(f.code)}${where ? ` ${where}` : ''}${loc}\n          ${f.message}`
  })
}
