// --regex-program-limit on the commands that judge regexes as the proxy does (docs/re2.md): Istio's 32768 by
// default, 100 for a bare Envoy; a bad value names the flag.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli} from '../../support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'regex-limit-cli-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const file = join(dir, 'mr.yaml')
writeFileSync(file, `apiVersion: v1
kind: Service
metadata: {name: thrift-sample-server, namespace: meta-thrift}
spec:
  selector: {app: thrift-sample-server}
  ports: [{name: tcp-metaprotocol-thrift-hello-server, port: 9090, protocol: TCP}]
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: {name: thrift-sample-server, namespace: meta-thrift}
spec:
  host: thrift-sample-server.meta-thrift.svc.cluster.local
  subsets: [{name: v1, labels: {version: v1}}]
---
apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: by-regex, namespace: meta-thrift}
spec:
  hosts: [thrift-sample-server.meta-thrift.svc.cluster.local]
  routes:
  - name: by-regex
    match: {attributes: {method: {regex: 'a{99}'}}}
    route: [{destination: {host: thrift-sample-server.meta-thrift.svc.cluster.local, subset: v1}}]
`)

describe('--regex-program-limit', () => {
  it('route analyze: a{99} (103 instructions) passes an Istio sidecar and is NACKed by a bare Envoy', async () => {
    const istio = await runCli(['route', 'analyze', '-f', file, '-o', 'json'])
    expect(istio.code).toBe(0)
    expect(istio.stdout).not.toContain('PROXY_NACK_REGEX_PROGRAM_SIZE')
    const bare = await runCli(['route', 'analyze', '-f', file, '-o', 'json', '--regex-program-limit', '100'])
    expect(bare.code).not.toBe(0)
    expect(bare.stdout).toContain('PROXY_NACK_REGEX_PROGRAM_SIZE')
    expect(bare.stdout).toContain('103 instructions, over the proxy\'s limit of 100')
  })

  it('route dry-run: the NACK decides the outcome', async () => {
    const base = ['route', 'dry-run', '-f', file, '--host', 'thrift-sample-server', '--attr', `method=${'a'.repeat(99)}`, '-o', 'json']
    const istio = JSON.parse((await runCli(base)).stdout)
    expect([istio.configOutcome, istio.route?.name]).toEqual([null, 'by-regex'])
    const bare = JSON.parse((await runCli([...base, '--regex-program-limit', '100'])).stdout)
    expect(bare.configOutcome).toBe('nacked-by-proxy')
  })

  it('refuses a limit under 1, naming the flag', async () => {
    const r = await runCli(['route', 'analyze', '-f', file, '--regex-program-limit', '0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--regex-program-limit')
  })
})
