// Every routing conformance vector, through the real path: manifests as YAML text -> parse -> translate -> simulate.
import {delimiter, relative} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseManifests} from '../../../src/lib/resources/parse.js'
import {buildWorld} from '../../../src/lib/routing/world.js'
import {predict, type Prediction} from '../../../src/lib/dryrun/predict.js'
import {caseToYaml, loadExtraCases, loadRepoCases, requestAttributes, type CaseFile, type ConformanceCase} from '../../support/conformance.js'

// The conformance file names the NACK outcome at length; the product contract (issue 2) names it `nacked-by-proxy`.
const OUTCOME_NAMES: Record<string, string> = {'accepted-by-webhook-but-NACKed-by-proxy': 'nacked-by-proxy'}

function run(c: ConformanceCase): Prediction {
  const world = buildWorld(parseManifests(caseToYaml(c), `${c.id}.yaml`))
  return predict(world, {
    host: c.service.host,
    port: c.service.port,
    attributes: requestAttributes(c),
    ...(c.request.randomValue !== undefined ? {randomValue: BigInt(c.request.randomValue)} : {}),
    ...(c.request.sequence !== undefined ? {sequence: c.request.sequence} : {}),
    ...(c.request.clientNamespace !== undefined ? {clientNamespace: c.request.clientNamespace} : {}),
    ...(c.request.serverPods !== undefined ? {serverPods: c.request.serverPods} : {}),
    ...(c.request.regexProgramLimit !== undefined ? {regexProgramLimit: c.request.regexProgramLimit} : {}),
  })
}

const clusterPairs = (list: Array<{name: string; weight: number}>) => list.map(c => ({name: c.name, weight: c.weight}))

function runFile({file, cases}: CaseFile, minimum: number): void {
  describe(`routing conformance (${relative(process.cwd(), file)})`, () => {
    it('has vectors to run, each with a source and a unique id', () => {
      expect(cases.length).toBeGreaterThanOrEqual(minimum)
      for (const c of cases) expect(c.source, `${c.id} source`).toMatch(/\S/)
      expect(new Set(cases.map(c => c.id)).size).toBe(cases.length)
    })

    for (const c of cases) {
      it(`${c.id}`, () => {
        check(c)
      })
    }
  })
}

function check(c: ConformanceCase): void {
  const p = run(c)
  const e = c.expect
  if ('route' in e) expect(p.route?.name ?? null, 'route').toBe(e.route)
  if ('routeIndex' in e) expect(p.route?.index, 'routeIndex').toBe(e.routeIndex)
  if ('clusters' in e) expect(clusterPairs(p.clusters), 'clusters').toEqual(e.clusters === null ? [] : e.clusters)
  if ('selectedCluster' in e) expect(p.selectedCluster, 'selectedCluster').toBe(e.selectedCluster)
  if ('hashPolicy' in e) expect(p.hashPolicy, 'hashPolicy').toEqual(e.hashPolicy)
  if ('mirror' in e) {
    if (e.mirror === null) expect(p.mirror, 'mirror').toBeNull()
    else {
      expect(p.mirror, 'mirror').not.toBeNull()
      expect({cluster: p.mirror!.cluster, numerator: p.mirror!.numerator, denominator: p.mirror!.denominator}, 'mirror').toEqual({cluster: e.mirror.cluster, numerator: e.mirror.numerator, denominator: e.mirror.denominator})
      // probability is the real chance of glibc rand() % 10^6 < N; nominalProbability the configured share.
      expect(p.mirror!.probability, 'mirror.probability').toBeCloseTo(e.mirror.probability, 12)
      if ('nominalProbability' in e.mirror) expect(p.mirror!.nominalProbability, 'mirror.nominalProbability').toBeCloseTo(e.mirror.nominalProbability, 12)
    }
  }
  if ('requestMutation' in e) expect(Object.fromEntries(p.requestMutation.map(kv => [kv.key, kv.value])), 'requestMutation').toEqual(e.requestMutation)
  // The effective pairs in the order the codec sees them (std::map: byte-wise key order).
  if ('requestMutationPairs' in e) expect(p.requestMutation, 'requestMutationPairs').toEqual(e.requestMutationPairs)
  if ('findingCodes' in e) for (const code of e.findingCodes) expect(p.findings.map(f => f.code), `finding ${code}`).toContain(code)
  if ('noFindingCodes' in e) for (const code of e.noFindingCodes) expect(p.findings.map(f => f.code), `no finding ${code}`).not.toContain(code)
  if ('responseMutation' in e) expect(Object.fromEntries(p.responseMutation.map(kv => [kv.key, kv.value])), 'responseMutation').toEqual(e.responseMutation)
  if ('error' in e) expect(p.error, 'error').toBe(e.error)
  else if (e.route !== null && !e.configOutcome) expect(p.error, 'no error expected').toBeNull()
  expect(p.configOutcome, 'configOutcome').toBe(e.configOutcome ? (OUTCOME_NAMES[e.configOutcome] ?? e.configOutcome) : null)
  if ('possibleOutcomes' in e) {
    expect(p.possibleOutcomes?.map((o, i) => ({route: o.route?.name ?? null, clusters: clusterPairs(o.clusters), ...('hashPolicy' in (e.possibleOutcomes[i] ?? {}) ? {hashPolicy: o.hashPolicy} : {})})), 'possibleOutcomes').toEqual(e.possibleOutcomes)
  }
  if ('rateLimit' in e) {
    expect(p.rateLimit, 'rateLimit').not.toBeNull()
    expect({allowed: p.rateLimit!.allowed, rejected: p.rateLimit!.rejected}).toEqual({allowed: e.rateLimit.allowed, rejected: e.rateLimit.rejected})
    if ('bucket' in e.rateLimit) expect(p.rateLimit!.local?.bucket, 'bucket').toBe(e.rateLimit.bucket)
    if ('descriptor' in e.rateLimit) expect(p.rateLimit!.global?.descriptor, 'descriptor').toEqual(e.rateLimit.descriptor)
    if ('clientObserved' in e.rateLimit) {
      const o = p.rateLimit!.clientObserved
      expect(o === null ? null : {serverPods: o.serverPods, allowed: o.allowed, rejected: o.rejected}, 'clientObserved').toEqual(e.rateLimit.clientObserved)
    }
  }
}

const repoFiles = loadRepoCases()
const repoIds = new Set(repoFiles.flatMap(f => f.cases.map(c => c.id)))
for (const f of repoFiles) runFile(f, 1)
it('the repository carries at least the 45 original vectors', () => {
  expect(repoIds.size).toBeGreaterThanOrEqual(45)
})

// Vector files named by AERAKICTL_EXTRA_VECTORS run as well (a named file that is missing fails here).
for (const f of loadExtraCases()) runFile(f, 1)

describe('AERAKICTL_EXTRA_VECTORS', () => {
  it('names no file when unset or empty, reads every file it names, and fails on one that is missing', () => {
    expect(loadExtraCases({})).toEqual([])
    expect(loadExtraCases({AERAKICTL_EXTRA_VECTORS: ''})).toEqual([])
    const own = repoFiles[0].file
    expect(loadExtraCases({AERAKICTL_EXTRA_VECTORS: [own, own].join(delimiter)}).map(f => f.cases.length)).toEqual([repoFiles[0].cases.length, repoFiles[0].cases.length])
    expect(() => loadExtraCases({AERAKICTL_EXTRA_VECTORS: '/nonexistent/vectors.json'})).toThrow(/ENOENT.*\/nonexistent\/vectors\.json/)
  })
})
