// Predicting from a config dump uses the RE2 program-size limit that proxy runs with: its bootstrap's layered
// runtime (Istio writes re2.max_program_size.error_level: "32768"), Envoy's 100 when the bootstrap has none, or
// --regex-program-limit (docs/re2.md).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {generateConfigDump} from '../../../src/lib/dump/index.js'
import {runDryRun} from '../../../src/lib/dryrun/run.js'
import type {RouteTable} from '../../../src/lib/routing/types.js'

const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const dir = mkdtempSync(join(tmpdir(), 'regex-limit-dump-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function table(regex: string): RouteTable {
  return {
    name: `${HOST}_9090`, host: HOST, port: 9090, applicationProtocol: 'thrift',
    routes: [{name: 'by-regex', matchers: [{name: 'method', kind: 'regex', value: regex}], action: {kind: 'cluster', cluster: `outbound|9090|v1|${HOST}`}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []}],
  }
}

function dumpFile(name: string, regex: string, edit?: (bootstrap: Record<string, unknown>) => void): string {
  const dump = generateConfigDump({podName: 'thrift-sample-client-6f9c7d8b5-x2k4p', namespace: 'meta-thrift', podIp: '172.17.0.95', tables: [table(regex)], services: [{host: HOST, port: 9090, clusterIp: '10.98.211.57', applicationProtocol: 'thrift'}], subsetsByHost: {[HOST]: ['v1']}})
  if (edit) edit((dump.configs[0] as {bootstrap: Record<string, unknown>}).bootstrap)
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify(dump))
  return file
}

const codes = async (file: string, extra: {regexProgramLimit?: number} = {}) =>
  (await runDryRun({files: [], attr: ['method=aaa'], set: [], configDump: file, ...extra})).prediction.findings.map(f => f.code)

describe('the RE2 program-size limit of a config dump', () => {
  it('is the bootstrap\'s 32768 for an Istio sidecar: a{99} (103) passes, \\pL{25} (29829) is near it', async () => {
    expect(await codes(dumpFile('istio-a99', 'a{99}'))).not.toContain('PROXY_NACK_REGEX_PROGRAM_SIZE')
    expect(await codes(dumpFile('istio-pl25', '\\pL{25}'))).toContain('REGEX_PROGRAM_SIZE_NEAR_LIMIT')
  })

  it('is Envoy\'s 100 when the bootstrap sets none, and --regex-program-limit wins over both', async () => {
    const bare = dumpFile('bare-a99', 'a{99}', b => delete b.layered_runtime)
    expect(await codes(bare)).toContain('PROXY_NACK_REGEX_PROGRAM_SIZE')
    expect(await codes(bare, {regexProgramLimit: 32768})).not.toContain('PROXY_NACK_REGEX_PROGRAM_SIZE')
    expect(await codes(dumpFile('istio-a99-limited', 'a{99}'), {regexProgramLimit: 100})).toContain('PROXY_NACK_REGEX_PROGRAM_SIZE')
  })

  it('reads a raised limit from the static layer', async () => {
    const raised = dumpFile('raised', '\\pL{28}', b => {
      b.layered_runtime = {layers: [{name: 'global config', static_layer: {'re2.max_program_size.error_level': '36000'}}, {name: 'admin', admin_layer: {}}]}
    })
    const found = await codes(raised)
    expect(found).not.toContain('PROXY_NACK_REGEX_PROGRAM_SIZE')
    expect(found).toContain('REGEX_PROGRAM_SIZE_NEAR_LIMIT') // 33408 is within 10% of 36000
  })
})
