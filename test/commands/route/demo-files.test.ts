// The done-when check of issue 11: `route dry-run` on Aeraki's demo files, applied the way the tutorial applies them
// (`kubectl apply -f <file> -n meta-thrift`, files without a namespace), predicts what the tutorial shows. The files
// here are the repository's demo manifests and templates with their namespaces removed, as in aeraki-mesh/aeraki
// demo/metaprotocol-thrift.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../../support/cli.js'

const T = 'thrift-sample-server.meta-thrift.svc.cluster.local'
let dir: string
const withoutNamespace = (text: string) => text.replace(/^\s*namespace: meta-thrift\n/gm, '')

describe('route dry-run on the demo files with -n meta-thrift', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aerakictl-demo-files-'))
    writeFileSync(join(dir, 'thrift-sample.yaml'), withoutNamespace(readFileSync('templates/demo/thrift/10-thrift-sample.yaml', 'utf8')))
    writeFileSync(join(dir, 'destinationrule.yaml'), withoutNamespace(readFileSync('templates/demo/thrift/20-destinationrule.yaml', 'utf8')))
    for (const t of ['method-route', 'traffic-split']) {
      const r = await runCli(['apply', t, '-o', 'yaml'])
      expect(r.code, r.stderr).toBe(0)
      writeFileSync(join(dir, `${t}.yaml`), withoutNamespace(r.stdout))
    }
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  const files = (mr: string) => ['-f', join(dir, 'thrift-sample.yaml'), '-f', join(dir, 'destinationrule.yaml'), '-f', join(dir, `${mr}.yaml`)]

  it('the method route: every sayHello goes to v1', async () => {
    const r = await runCli(['route', 'dry-run', ...files('method-route'), '-n', 'meta-thrift', '--attr', 'method=sayHello', '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.service.host).toBe(T)
    expect(doc.metaRouter).toMatch(/^meta-thrift\//)
    expect(doc.selectedCluster).toBe(`outbound|9090|v1|${T}`)
    expect(doc.findings.map((f: any) => f.code)).not.toContain('METAROUTER_HOST_UNKNOWN')
  })

  it('the traffic split: 20% v1, 80% v2', async () => {
    const doc = JSON.parse((await runCli(['route', 'dry-run', ...files('traffic-split'), '-n', 'meta-thrift', '--attr', 'method=sayHello', '-o', 'json'])).stdout)
    expect(doc.clusters.map((c: any) => [c.name, c.share])).toEqual([[`outbound|9090|v1|${T}`, 0.2], [`outbound|9090|v2|${T}`, 0.8]])
  })

  it('without -n the objects land in default and the dry-run says why the MetaRouter is not used', async () => {
    const doc = JSON.parse((await runCli(['route', 'dry-run', ...files('method-route'), '--attr', 'method=sayHello', '-o', 'json'])).stdout)
    expect(doc.service.host).toBe('thrift-sample-server.default.svc.cluster.local')
    expect(doc.route.name).toBe('default')
    expect(doc.findings.map((f: any) => f.code)).toContain('METAROUTER_HOST_UNKNOWN')
  })
})
