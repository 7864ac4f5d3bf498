// kubectl-like lines for apply, and the diff in unified style.
import type {AppliedObject, ApplyResult} from '../apply/apply.js'
import {PAST} from '../cluster/apply.js'
import {palette} from './style.js'

export function renderPlan(plan: AppliedObject[], color: boolean): string {
  const c = palette(color)
  const out: string[] = []
  for (const o of plan) {
    if (o.action === 'unchanged') continue
    out.push(c.bold(`${o.action === 'create' ? 'new' : 'changed'}: ${o.resource}`))
    for (const l of o.diff) {
      if (l.op === '+') out.push(c.green(`+ ${l.text}`))
      else if (l.op === '-') out.push(c.red(`- ${l.text}`))
      else out.push(c.dim(`  ${l.text}`))
    }
  }
  return out.length ? `${out.join('\n')}\n` : ''
}

export function renderApplyResult(r: ApplyResult, color: boolean): string {
  const c = palette(color)
  const suffix = r.dryRun ? ` (dry run: ${r.dryRun})` : ' (server-side apply)'
  const lines = r.objects.map(o => `${o.resource} ${PAST[o.action]}${suffix}`)
  for (const f of r.findings) lines.push(c.yellow(`${f.severity}: [${f.code}] ${f.path ? `${f.path}: ` : ''}${f.message}`))
  if (r.prediction) lines.push(`${c.bold('Prediction')} ${r.prediction.summary}`)
  return `${lines.join('\n')}\n`
}
