// `aerakictl route analyze` through the built binary: istioctl-analyze exit codes, thresholds, suppression, formats.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../../support/cli.js'

const T = 'thrift-sample-server.meta-thrift.svc.cluster.local'
let dir: string
let shadowed: string

describe('route analyze', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aerakictl-analyze-'))
    shadowed = join(dir, 'shadowed.yaml')
    // No namespace in the file: -n supplies it, as with kubectl apply -n.
    writeFileSync(shadowed, `apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata:
  name: r
spec:
  hosts: [${T}]
  routes:
    - name: all-say
      match: {attributes: {method: {prefix: say}}}
      route: [{destination: {host: ${T}, subset: v1}}]
    - name: hello
      match: {attributes: {method: {exact: sayHello}}}
      route: [{destination: {host: ${T}, subset: v2}}]
`)
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('the shipped demo manifests are clean (exit 0)', async () => {
    const r = await runCli(['route', 'analyze', '-R', '-f', 'templates/demo'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('✔ No validation issues found')
  })

  it('a warning does not fail by default, and fails with --failure-threshold warning (exit 79)', async () => {
    const files = ['-f', 'templates/demo/thrift', '-f', shadowed, '-n', 'meta-thrift']
    const a = await runCli(['route', 'analyze', ...files])
    expect(a.code).toBe(0)
    expect(a.stdout).toMatch(/^Warning \[ROUTE_SHADOWED\] \(MetaRouter meta-thrift\/r .*shadowed\.yaml:11:7\) spec\.routes\[1\]: route 1 \("hello"\) can never match/m)
    const b = await runCli(['route', 'analyze', ...files, '--failure-threshold', 'warning'])
    expect(b.code).toBe(79)
  })

  it('--suppress hides a code for matching resources only', async () => {
    const files = ['-f', 'templates/demo/thrift', '-f', shadowed, '-n', 'meta-thrift', '--failure-threshold', 'warning']
    const hidden = await runCli(['route', 'analyze', ...files, '--suppress', 'ROUTE_SHADOWED=meta-thrift/*'])
    expect(hidden.code).toBe(0)
    const other = await runCli(['route', 'analyze', ...files, '--suppress', 'ROUTE_SHADOWED=other-ns/*'])
    expect(other.code).toBe(79)
  })

  it('errors fail by default; -o json lists findings with paths and locations', async () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, `apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: bad, namespace: meta-thrift}
spec:
  hosts: [${T}]
  routes:
    - name: p
      match: {attributes: {method: {prefix: ""}}}
      route: [{destination: {host: ${T}, subset: v9}}]
`)
    const r = await runCli(['route', 'analyze', '-f', 'templates/demo/thrift', '-f', bad, '-o', 'json'])
    expect(r.code).toBe(79)
    const doc = JSON.parse(r.stdout)
    expect(doc.failed).toBe(true)
    const byCode = Object.fromEntries(doc.findings.map((f: any) => [f.code, f]))
    expect(byCode.PROXY_NACK_EMPTY_PREFIX).toMatchObject({severity: 'error', path: 'spec.routes[0].match.attributes.method.prefix', location: `${bad}:8:37`})
    expect(byCode.SUBSET_NOT_IN_DESTINATIONRULE).toMatchObject({severity: 'error', path: 'spec.routes[0].route[0].destination.subset'})
  })

  it('bad input exits 2', async () => {
    expect((await runCli(['route', 'analyze'])).code).toBe(2)
    const r = await runCli(['route', 'analyze', '-f', shadowed, '--suppress', 'not a rule'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--suppress')
  })
})
