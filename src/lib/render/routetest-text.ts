// router_check_tool's output shape: failures as expected/actual per field, then the coverage line.
import type {RouteTestRun} from '../routetest/command.js'
import {palette} from './style.js'

export function renderRouteTestText(r: RouteTestRun, opts: {details: boolean; onlyFailures: boolean}, color: boolean): string {
  const c = palette(color)
  const out: string[] = []
  for (const t of r.tests) {
    if (t.passed && (!opts.details || opts.onlyFailures)) continue
    out.push(`${t.passed ? c.green('✔') : c.red('✘')} ${t.name}`)
    for (const f of t.failures) out.push(`  expected: [${f.expected}], actual: [${f.actual}], test type: ${f.field}`)
  }
  out.push(`${r.passed} passed, ${r.failed} failed`)
  out.push(`Current route coverage: ${r.coverage.percent.toFixed(2)}% (${r.coverage.covered} of ${r.coverage.total} routes and weighted arms${r.coverage.mode === 'covall' ? ', fully asserted' : ''})`)
  if (opts.details || r.coverage.mode === 'covall') {
    for (const i of r.coverage.items.filter(x => !x.covered)) out.push(c.dim(`Missing test for route config: ${i.routeConfig}, route: #${i.routeIndex} "${i.routeName}", cluster: ${i.cluster}`))
  }
  if (r.failUnder !== null && r.coverage.percent < r.failUnder) out.push(c.red(`Failed to meet coverage requirement: ${r.failUnder}%`))
  return `${out.join('\n')}\n`
}
