// kubectl-like lines for apply, and the diff in unified style.
import type {AppliedObject, ApplyResult, IncompleteApply} from '../apply/apply.js'
import {plural} from './plural.js'
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
  if (r.incomplete) return renderIncomplete(r.incomplete, r.objects.length, suffix, color)
  const lines = r.objects.map(o => `${o.resource} ${PAST[o.action]}${suffix}`)
  for (const f of r.findings) lines.push(c.yellow(`${f.severity}: [${f.code}] ${f.path ? `${f.path}: ` : ''}${f.message}`))
  if (r.prediction) lines.push(`${c.bold('Prediction')} ${r.prediction.summary}`)
  return `${lines.join('\n')}\n`
}

/** Writes that stopped part way: each object applied, the one that failed and why, those not applied, what to do. */
function renderIncomplete(inc: IncompleteApply, total: number, suffix: string, color: boolean): string {
  const c = palette(color)
  const lines = inc.applied.map(a => `${a.resource} ${PAST[a.action]}${suffix}`)
  if (inc.failed) lines.push(c.red(`${inc.failed.resource} ${inc.interrupted ? 'interrupted (Ctrl-C) while being written: it may or may not have been applied' : `failed: ${inc.failed.message}`}`))
  for (const n of inc.notApplied) lines.push(c.dim(`${n} not applied`))
  const why = inc.interrupted ? 'interrupted (Ctrl-C)' : `stopped at ${inc.failed!.resource}`
  const counts = `applied ${inc.applied.length} of ${plural(total, 'object')}, ${inc.failed ? `1 ${inc.interrupted ? 'interrupted' : 'failed'}, ` : ''}${inc.notApplied.length} not applied`
  lines.push(c.red(`✘ Incomplete: ${why}; ${counts}. To finish: ${inc.finish}${inc.undo ? `. To undo: ${inc.undo}` : ''}.`))
  return `${lines.join('\n')}\n`
}
