// Runs a test suite against one world and computes route coverage, router_check_tool style.
import {predict} from '../dryrun/predict.js'
import {resolveService} from '../dryrun/resolve.js'
import {parseCluster} from '../routing/names.js'
import {buildRouteTable, destinationRulesFor, metaRoutersFor} from '../routing/translate.js'
import type {World} from '../routing/world.js'
import type {TestCase} from './suite.js'

export interface FieldFailure {
  field: string
  expected: string
  actual: string
}

export interface TestOutcome {
  name: string
  passed: boolean
  failures: FieldFailure[]
}

export interface CoverageItem {
  routeConfig: string
  routeIndex: number
  routeName: string
  /** The weighted arm's cluster, or the route's only cluster. */
  cluster: string
  covered: boolean
}

export interface SuiteResult {
  tests: TestOutcome[]
  passed: number
  failed: number
  coverage: {percent: number; covered: number; total: number; items: CoverageItem[]; mode: 'default' | 'covall'}
}

/**
 * Coverage counts every route of the tables the tests address, and every arm of a weighted route separately.
 * A test covers the arm it lands on (random_value defaults to 0, as in router_check_tool) when it asserted any field;
 * with --covall only when it asserted route_name and cluster_name, plus mirror_cluster / request_mutation where the
 * route has them.
 */
export function runSuite(world: World, tests: TestCase[], options: {covall?: boolean; defaultHost?: string; regexProgramLimit?: number} = {}): SuiteResult {
  const outcomes: TestOutcome[] = []
  const hit = new Set<string>()
  const tables = new Map<string, ReturnType<typeof buildRouteTable>>()
  for (const t of tests) {
    const {service, port} = resolveService(world, t.input.host ?? options.defaultHost, t.input.port)
    const randomValue = t.input.randomValue ?? 0n
    const p = predict(world, {host: service.host, port: port.number, attributes: t.input.attributes, randomValue, regexProgramLimit: options.regexProgramLimit, ...(t.input.clientNamespace ? {clientNamespace: t.input.clientNamespace} : {})})
    const key = p.routeConfig
    if (!tables.has(key)) {
      const mr = metaRoutersFor(world, service.host)[0] ?? null
      tables.set(key, buildRouteTable(service, port, mr, destinationRulesFor(world, service)[0] ?? null))
    }
    const failures: FieldFailure[] = []
    const check = (field: string, expected: string, actual: string) => {
      if (expected !== actual) failures.push({field, expected, actual})
    }
    const v = t.validate
    const routeName = p.route ? p.route.name : ''
    if (v.route_name !== undefined) check('route_name', v.route_name, p.route ? routeName : '')
    if (v.cluster_name !== undefined) check('cluster_name', v.cluster_name, p.selectedCluster ?? '')
    if (v.subset !== undefined) check('subset', v.subset, p.selectedCluster ? (parseCluster(p.selectedCluster)?.subset ?? '') : '')
    if (v.mirror_cluster !== undefined) check('mirror_cluster', v.mirror_cluster, p.mirror?.cluster ?? '')
    if (v.request_mutation !== undefined) check('request_mutation', fmtPairs(v.request_mutation), fmtPairs(p.requestMutation))
    if (v.error !== undefined) check('error', v.error, p.error ?? p.configOutcome ?? '')
    outcomes.push({name: t.name, passed: failures.length === 0, failures})
    if (p.route && p.selectedCluster) {
      const entry = tables.get(key)!.routes[p.route.index]
      const full = v.route_name !== undefined && v.cluster_name !== undefined && (!entry?.mirror || v.mirror_cluster !== undefined) && (!entry?.requestMutation.length || v.request_mutation !== undefined)
      if (!options.covall || full) hit.add(`${key}#${p.route.index}#${p.selectedCluster}`)
    }
  }
  const items: CoverageItem[] = []
  for (const [key, table] of tables) {
    table.routes.forEach((r, i) => {
      const clusters = r.action.kind === 'cluster' ? [r.action.cluster] : r.action.clusters.filter(c => c.weight > 0).map(c => c.name)
      for (const cluster of clusters) items.push({routeConfig: key, routeIndex: i, routeName: r.name, cluster, covered: hit.has(`${key}#${i}#${cluster}`)})
    })
  }
  const covered = items.filter(i => i.covered).length
  const passed = outcomes.filter(o => o.passed).length
  return {
    tests: outcomes,
    passed,
    failed: outcomes.length - passed,
    coverage: {percent: items.length ? (100 * covered) / items.length : 100, covered, total: items.length, items, mode: options.covall ? 'covall' : 'default'},
  }
}

function fmtPairs(list: Array<{key: string; value: string}>): string {
  return list.map(kv => `${kv.key}=${kv.value}`).join(',')
}
