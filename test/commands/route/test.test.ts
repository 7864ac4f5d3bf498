// `aerakictl route test`: router_check_tool semantics for MetaRouters, through the built binary.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../../support/cli.js'

const V = (s: string) => `outbound|9090|${s}|thrift-sample-server.meta-thrift.svc.cluster.local`
let dir: string
const suite = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

describe('route test', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aerakictl-routetest-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('passes, and counts each weighted arm for coverage', async () => {
    const t = suite('v1-only.yaml', `tests:
  - test_name: arm v1
    input: {host: thrift-sample-server, attributes: {method: sayHello}, random_value: 19}
    validate: {route_name: traffic-split, subset: v1}
`)
    const r = await runCli(['route', 'test', '-t', t, '--template', 'traffic-split', '-o', 'json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc).toMatchObject({passed: 1, failed: 0})
    expect(doc.coverage).toMatchObject({covered: 1, total: 2, percent: 50})
    expect(doc.coverage.items.find((i: any) => !i.covered).cluster).toBe(V('v2'))
    // The same suite under a coverage requirement it does not meet fails with exit 3.
    const low = await runCli(['route', 'test', '-t', t, '--template', 'traffic-split', '--fail-under', '60'])
    expect(low.code).toBe(3)
    expect(low.stdout).toContain('Current route coverage: 50.00%')
    expect(low.stdout).toContain('Failed to meet coverage requirement: 60%')
  })

  it('random_value defaults to 0 (the first arm), as in router_check_tool', async () => {
    const t = suite('default-rv.yaml', `tests:
  - test_name: no random value
    input: {attributes: {method: sayHello}}
    validate: {cluster_name: "${V('v1')}"}
`)
    expect((await runCli(['route', 'test', '-t', t, '--template', 'traffic-split'])).code).toBe(0)
  })

  it('prints expected/actual per failing field and exits 3', async () => {
    const t = suite('fail.yaml', `tests:
  - test_name: wrong subset
    input: {attributes: {method: sayHello}, random_value: 20}
    validate: {subset: v1, route_name: traffic-split}
  - test_name: nothing matches
    input: {attributes: {method: sayBye}}
    validate: {cluster_name: "", error: RouteNotFound}
`)
    const r = await runCli(['route', 'test', '-t', t, '--template', 'traffic-split', '--details'])
    expect(r.code).toBe(3)
    expect(r.stdout).toContain('✘ wrong subset\n  expected: [v1], actual: [v2], test type: subset')
    expect(r.stdout).toContain('✔ nothing matches')
    expect(r.stdout).toContain('1 passed, 1 failed')
  })

  it('--covall needs route_name and cluster_name asserted (and mutation where the route has one)', async () => {
    const partial = suite('partial.yaml', `tests:
  - test_name: only the subset
    input: {attributes: {method: sayHello}}
    validate: {subset: v1}
`)
    const a = JSON.parse((await runCli(['route', 'test', '-t', partial, '--template', 'method-route', '-o', 'json'])).stdout)
    expect(a.coverage.percent).toBe(100)
    const b = JSON.parse((await runCli(['route', 'test', '-t', partial, '--template', 'method-route', '--covall', '-o', 'json'])).stdout)
    expect(b.coverage.percent).toBe(0)
    const mutation = suite('mutation.yaml', `tests:
  - test_name: mutation asserted
    input: {host: dubbo, attributes: {method: sayHello}}
    validate: {route_name: header-mutation, cluster_name: "outbound|20880||org.apache.dubbo.samples.basic.api.demoservice", request_mutation: {foo: bar}}
`)
    const c = JSON.parse((await runCli(['route', 'test', '-t', mutation, '--template', 'header-mutation', '--covall', '-o', 'json'])).stdout)
    expect(c.passed).toBe(1)
    expect(c.coverage.percent).toBe(100)
  })

  describe('bad suites exit 2 naming the test', () => {
    const bad: Array<[string, string, RegExp]> = [
      ['no tests', 'tests: []\n', /expected a "tests:" list/],
      ['no name', 'tests:\n  - input: {}\n    validate: {subset: v1}\n', /tests\[0\]: test_name is required/],
      ['nothing to validate', 'tests:\n  - test_name: x\n    input: {}\n    validate: {}\n', /tests\[0\] \(x\): validate needs at least one of/],
      ['unknown field', 'tests:\n  - test_name: x\n    validate: {clusterName: a}\n', /unknown validate field "clusterName"/],
      ['bad random value', 'tests:\n  - test_name: x\n    input: {random_value: -3}\n    validate: {subset: v1}\n', /random_value "-3" is not an unsigned 64-bit integer/],
      ['YAML error', 'tests:\n  - test_name: [x\n', /bad-yaml\.yaml:\d+:\d+: not valid YAML/],
    ]
    for (const [name, text, re] of bad) {
      it(name, async () => {
        const file = name === 'YAML error' ? 'bad-yaml.yaml' : `bad-${name.replace(/\W+/g, '-')}.yaml`
        const r = await runCli(['route', 'test', '-t', suite(file, text)])
        expect(r.code).toBe(2)
        expect(r.stderr).toMatch(re)
      })
    }
  })
})
