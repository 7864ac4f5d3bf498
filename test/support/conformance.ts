// Turns a conformance case (test/fixtures/conformance/*.json) into real Kubernetes manifests, so every case
// goes through the same path as user input: YAML text -> parser -> world -> translation -> simulation.
import {readdirSync, readFileSync} from 'node:fs'
import {delimiter, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {dump} from 'js-yaml'

export const REPO_CASES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/conformance')
/**
 * More vector files to run beside the repository's own: AERAKICTL_EXTRA_VECTORS, paths separated by the platform's
 * path delimiter (.ci/run names reference vectors kept outside the repository when the machine has them). A named
 * file that is missing or unreadable fails the run: nothing given is skipped.
 */
export const EXTRA_VECTORS_VARIABLE = 'AERAKICTL_EXTRA_VECTORS'

export interface ConformanceCase {
  id: string
  source: string
  service: {host: string; port: number; portName: string; applicationProtocol: string}
  metaRouter: any | any[] | null
  destinationRules?: any[]
  rateLimitServiceConfig?: any
  request: {attributes: Record<string, string> | Array<[string, string]>; randomValue?: number | string; sequence?: number; clientNamespace?: string; serverPods?: number; regexProgramLimit?: number}
  expect: Record<string, any>
}

export interface CaseFile {
  file: string
  cases: ConformanceCase[]
}

function readCaseFile(file: string): CaseFile {
  const cases = JSON.parse(readFileSync(file, 'utf8')) as ConformanceCase[]
  if (!Array.isArray(cases)) throw new Error(`${file}: expected an array of conformance cases`)
  return {file, cases}
}

/** Every case file of the repository (throws when there is none: a missing file fails, never skips). */
export function loadRepoCases(): CaseFile[] {
  const files = readdirSync(REPO_CASES_DIR).filter(f => f.endsWith('.json')).sort()
  if (files.length === 0) throw new Error(`no conformance vectors in ${REPO_CASES_DIR}`)
  return files.map(f => readCaseFile(join(REPO_CASES_DIR, f)))
}

/** The vector files AERAKICTL_EXTRA_VECTORS names (none when it is unset or empty). */
export function loadExtraCases(env: NodeJS.ProcessEnv = process.env): CaseFile[] {
  return (env[EXTRA_VECTORS_VARIABLE] ?? '').split(delimiter).filter(Boolean).map(f => readCaseFile(resolve(f)))
}

const NAMESPACE = 'conformance'

export function caseToYaml(c: ConformanceCase): string {
  const docs: any[] = []
  const svcMatch = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(c.service.host)
  if (svcMatch) {
    docs.push({apiVersion: 'v1', kind: 'Service', metadata: {name: svcMatch[1], namespace: svcMatch[2]},
      spec: {selector: {app: svcMatch[1]}, ports: [{name: c.service.portName, port: c.service.port, protocol: 'TCP'}]}})
  } else {
    docs.push({apiVersion: 'networking.istio.io/v1alpha3', kind: 'ServiceEntry', metadata: {name: 'svc', namespace: NAMESPACE},
      spec: {hosts: [c.service.host], resolution: 'STATIC', ports: [{number: c.service.port, name: c.service.portName, protocol: 'TCP'}]}})
  }
  const mrs = c.metaRouter === null ? [] : Array.isArray(c.metaRouter) ? c.metaRouter : [c.metaRouter]
  mrs.forEach((spec, i) => docs.push({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: `mr-${i}`, namespace: NAMESPACE}, spec}))
  ;(c.destinationRules ?? []).forEach((spec, i) => docs.push({apiVersion: 'networking.istio.io/v1alpha3', kind: 'DestinationRule', metadata: {name: `dr-${i}`, namespace: NAMESPACE}, spec}))
  if (c.rateLimitServiceConfig) {
    docs.push({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'rate-limit-config', namespace: NAMESPACE}, data: {'config.yaml': dump(c.rateLimitServiceConfig)}})
  }
  return docs.map(d => dump(d, {noRefs: true})).join('---\n')
}

export function requestAttributes(c: ConformanceCase): Array<[string, string]> {
  const a = c.request.attributes
  return Array.isArray(a) ? a.map(([k, v]) => [k, v] as [string, string]) : Object.entries(a)
}
