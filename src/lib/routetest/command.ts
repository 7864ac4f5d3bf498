// `route test` as a library call: read the suite, assemble the world, run, decide the exit status.
import {InputError} from '../resources/errors.js'
import {readInput} from '../resources/stdin.js'
import {assembleInputs} from '../dryrun/inputs.js'
import {parseSuite} from './suite.js'
import {runSuite, type SuiteResult} from './run.js'

export interface RouteTestOptions {
  testFile: string
  files: string[]
  template?: string
  set: Record<string, string>
  covall: boolean
  failUnder?: number
  fromCluster?: {kubeconfig?: string; context?: string; timeoutMs?: number}
  regexProgramLimit?: number
  /** Namespace for -f objects without one (`kubectl apply -n`). */
  namespace?: string
  /** Read the sub-folders of -f folders (kubectl's -R). */
  recursive?: boolean
}

export interface RouteTestRun extends SuiteResult {
  failUnder: number | null
  /** True when a test failed or coverage is under --fail-under: exit 3 (CHECK_FAILED). */
  failedRun: boolean
}

export async function runRouteTest(o: RouteTestOptions): Promise<RouteTestRun> {
  if (o.failUnder !== undefined && !(o.failUnder >= 0 && o.failUnder <= 100)) throw new InputError('must be a percentage from 0 to 100', '--fail-under')
  const input = await readInput(o.testFile)
  const tests = parseSuite(input.text, input.source)
  const clusterObjects = o.fromCluster ? (await (await import('../cluster/objects.js')).readLiveObjects(o.fromCluster)).objects : undefined
  const assembled = await assembleInputs({files: o.files, attributes: [], template: o.template, set: o.set, host: tests[0].input.host, port: tests[0].input.port, clusterObjects, namespace: o.namespace, recursive: o.recursive})
  const result = runSuite(assembled.world, tests, {covall: o.covall, defaultHost: assembled.host, regexProgramLimit: o.regexProgramLimit})
  const underCoverage = o.failUnder !== undefined && result.coverage.percent < o.failUnder
  return {...result, failUnder: o.failUnder ?? null, failedRun: result.failed > 0 || underCoverage}
}
