// The end of `install demo`: ✔/✘ lines per component, the Deployments that are not ready with each pod and reason,
// and one verdict line. Pure text from an InstallResult, so it is the same on a terminal and in a pipe.
import {palette} from '../render/style.js'
import {COMPONENT_ORDER} from './plan.js'
import type {Action} from './preflight.js'
import type {InstallResult, InstalledObject} from './install.js'
import {PAST, summarizePast} from './install.js'
import {plural} from '../render/plural.js'

const WOULD: Record<Action | 'not applied', string> = {create: 'would be created', configure: 'would be configured', unchanged: 'unchanged', 'not applied': 'not applied'}

export function renderInstallReport(r: InstallResult, color: boolean): string {
  const c = palette(color)
  const ok = (s: string) => `${c.green('✔')} ${s}`
  const bad = (s: string) => `${c.red('✘')} ${s}`
  if (r.dryRun) return renderDryRun(r, ok)
  const lines: string[] = []
  const groups = groupByComponent(r.objects)
  const width = Math.max(...groups.map(g => g.label.length))
  for (const g of groups) {
    const deps = r.deployments.filter(d => d.namespace === g.namespace && g.objects.some(o => o.resource === `Deployment ${d.namespace}/${d.name}`))
    const applied = g.objects.every(o => o.action !== 'not applied')
    let detail = summarizePast(g.objects.map(o => o.action))
    const hasDeployments = g.objects.some(o => o.resource.startsWith('Deployment '))
    if (hasDeployments && r.waited) detail += `, ${deps.filter(d => d.ready).length}/${deps.length} Deployments available`
    if (hasDeployments && !r.waited && applied) detail += ' (rollout not waited for)'
    const good = applied && (!hasDeployments || !r.waited || deps.every(d => d.ready))
    lines.push((good ? ok : bad)(`${g.label.padEnd(width)}  ${detail}`))
    for (const d of deps.filter(x => !x.ready)) {
      lines.push(`    Deployment ${d.name}: ${d.available}/${d.desired} available`)
      for (const p of d.problems) lines.push(`      ${p}`)
    }
  }
  lines.push(verdict(r, ok, bad))
  return `${lines.join('\n')}\n`
}

function verdict(r: InstallResult, ok: (s: string) => string, bad: (s: string) => string): string {
  const namespaces = [...new Set(r.objects.map(o => o.namespace))]
  const where = r.demos.map((d, i) => `${d} in ${namespaces[i]}`).join(', ')
  const total = r.objects.length
  const done = r.objects.filter(o => o.action !== 'not applied')
  const changed = done.some(o => o.action !== 'unchanged')
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`
  const notReady = r.deployments.filter(d => !d.ready)
  const inspect = `look further with: ${namespaces.map(ns => `kubectl get pods -n ${ns}`).join('; ')}`
  if (r.interrupted) {
    if (done.length < total) {
      const names = done.map(o => `${o.resource} (${PAST[o.action]})`)
      return bad(`Interrupted (Ctrl-C): applied ${done.length} of ${total} objects${names.length ? `: ${names.join(', ')}` : ''}; not applied: ${total - done.length}. Run \`aerakictl install demo\` again to finish, or \`aerakictl uninstall demo\` to remove it.`)
    }
    return bad(`Interrupted (Ctrl-C) while waiting for the rollout: all ${total} objects were applied; ${notReady.length} of ${r.deployments.length} Deployments not available yet. Run \`aerakictl install demo\` again to keep waiting (it changes nothing).`)
  }
  if (!r.waited) return ok(`Applied ${where} (${summarizePast(done.map(o => o.action))}); readiness not checked (--no-wait): ${inspect}`)
  if (!r.ready) {
    const after = r.timedOut ? ` after ${formatDuration(r.timeoutMs)} (--timeout)` : ''
    return bad(`Not ready${after}: ${notReady.length} of ${r.deployments.length} Deployments not available (see above); ${inspect}`)
  }
  if (!changed) return ok(`No changes: the demo (${where}) was already applied and every Deployment is available.`)
  return ok(`Demo ready: ${where} (${summarizePast(done.map(o => o.action))}), all ${r.deployments.length} Deployments available ${secs(r.timings.readyMs ?? 0)} after the start.`)
}

/** Go-style, as kubectl and istioctl print timeouts: "5m0s", "30s", "1.5s". */
export function formatDuration(ms: number): string {
  const s = ms / 1000
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`
  const m = Math.floor(s / 60)
  const rest = Math.round(s - m * 60)
  return m >= 60 ? `${Math.floor(m / 60)}h${m % 60}m${rest}s` : `${m}m${rest}s`
}

function renderDryRun(r: InstallResult, ok: (s: string) => string): string {
  const width = Math.max(...r.objects.map(o => o.resource.length))
  const lines = [`Dry run against context "${r.context}" (${r.server}): nothing was changed.`]
  for (const o of r.objects) lines.push(`  ${o.resource.padEnd(width)}  ${WOULD[o.action]}`)
  const counts = summarizePast(r.objects.map(o => o.action)).replace(/created/g, 'to create').replace(/configured/g, 'to configure')
  const deferred = r.deferredDryRun > 0 ? ` (the other ${r.deferredDryRun} live in namespaces that do not exist yet, where the API server cannot dry-run them; a real install dry-runs them right after creating the namespace, before writing them)` : ''
  lines.push(ok(`${counts}: the API server accepted the dry run of ${plural(r.objects.length - r.deferredDryRun, 'object')}${deferred}; permissions and CRDs checked.`))
  return `${lines.join('\n')}\n`
}

interface Group {
  label: string
  namespace: string
  objects: InstalledObject[]
}

function groupByComponent(objects: InstalledObject[]): Group[] {
  const out: Group[] = []
  for (const ns of new Set(objects.map(o => o.namespace))) {
    for (const kind of COMPONENT_ORDER) {
      const mine = objects.filter(o => o.namespace === ns && o.component === kind)
      if (mine.length) out.push({label: `${ns} ${kind}`, namespace: ns, objects: mine})
    }
  }
  return out
}
