// Issue 12 §1: a dump with a planted secret of every class, run through every format, section and JSONPath of
// every command that prints dump content; no planted value may come out unless --show-secrets.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {HOST, leakedIn, PLANTED, plantedDumpFile} from '../lib/dump/planted-secrets.js'

const CRD_BEARER = 'crd-side-bearer-t0ken-7777'
let dir: string
let dump: string
let metaRouter: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aerakictl-redaction-'))
  dump = plantedDumpFile(dir)
  metaRouter = join(dir, 'metarouter.yaml')
  writeFileSync(metaRouter, `apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata:
  name: secret-route
  namespace: meta-thrift
spec:
  hosts:
  - ${HOST}
  routes:
  - name: secret-route
    match:
      attributes:
        method:
          exact: sayHello
    route:
    - destination:
        host: ${HOST}
        subset: v1
    requestMutation:
    - key: authorization
      value: Bearer ${CRD_BEARER}
`)
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function expectNoLeak(args: string[], out: {stdout: string; stderr: string}): void {
  const text = out.stdout + out.stderr
  expect(leakedIn(text), args.join(' ')).toEqual([])
  expect(text, args.join(' ')).not.toContain(CRD_BEARER)
}

const SECTIONS = ['all', 'bootstrap', 'listeners', 'clusters', 'routes', 'metaprotocol', 'secrets']
const JSONPATHS = ['$', '$..*', '$.configs[*]', '$..private_key', '$..inline_string', '$..inline_bytes', '$..metadata', '$..value', '$..request_mutation', '$..keys[*]']

describe('a planted-secret dump prints no planted value', () => {
  it('sidecar-config: every section in every format', async () => {
    for (const section of SECTIONS) {
      for (const output of ['table', 'json', 'yaml']) {
        const args = ['sidecar-config', '--file', dump, '--section', section, '-o', output]
        const r = await runCli(args)
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0)
        expectNoLeak(args, r)
      }
    }
  }, 300_000)

  it('sidecar-config: JSONPaths in JSON and YAML', async () => {
    for (const path of JSONPATHS) {
      for (const output of ['$..*', '$..value'].includes(path) ? ['json', 'yaml'] : ['json']) {
        const args = ['sidecar-config', '--file', dump, '--jsonpath', path, '-o', output]
        const r = await runCli(args)
        expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0)
        expectNoLeak(args, r)
      }
    }
  }, 300_000)

  it('gateway-config (the same dump reader and printer as sidecar-config) in every format and a JSONPath', async () => {
    for (const extra of [['-o', 'table'], ['-o', 'json'], ['-o', 'yaml'], ['--jsonpath', '$..*'], ['--section', 'secrets', '-o', 'json']]) {
      const args = ['gateway-config', '--file', dump, ...extra]
      const r = await runCli(args)
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0)
      expectNoLeak(args, r)
    }
  }, 300_000)

  it('route dry-run --config-dump in every format', async () => {
    for (const output of ['table', 'json', 'yaml']) {
      const args = ['route', 'dry-run', '--config-dump', dump, '--host', HOST, '--attr', 'method=sayHello', '-o', output]
      const r = await runCli(args)
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0)
      expectNoLeak(args, r)
      expect(r.stdout + r.stderr).toMatch(/\[redacted: (bearer token|credential header), \d+ bytes\]/)
    }
  }, 120_000)

  it('route verify --file in every format, both sides of a difference redacted', async () => {
    for (const output of ['table', 'json', 'yaml']) {
      const args = ['route', 'verify', '--file', dump, '-f', metaRouter, '-o', output]
      const r = await runCli(args)
      // The dump's table differs from the MetaRouter (other mutation): 3 = not in sync, with both sides printed.
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(3)
      expectNoLeak(args, r)
    }
  }, 120_000)

  it('--show-secrets shows every planted value', async () => {
    const r = await runCli(['sidecar-config', '--file', dump, '-o', 'json', '--show-secrets'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(dump, 'utf8')))
    // Every planted value is in the file as printed, except two keys that are only there base64-encoded
    // (their base64 slices are planted too): so the no-leak checks above look for text that was there.
    const raw = readFileSync(dump, 'utf8')
    expect(Object.entries(PLANTED).filter(([, v]) => !raw.includes(v) && !raw.includes(JSON.stringify(v).slice(1, -1))).map(([k]) => k)).toEqual(['pemAtZero', 'pkcs12Bundle'])
    const dry = await runCli(['route', 'dry-run', '--config-dump', dump, '--host', HOST, '--attr', 'method=sayHello', '-o', 'json', '--show-secrets'])
    expect(dry.stdout).toContain(PLANTED.mutationBearer)
    const verify = await runCli(['route', 'verify', '--file', dump, '-f', metaRouter, '-o', 'json', '--show-secrets'])
    expect(verify.stdout).toContain(CRD_BEARER)
  }, 120_000)
})

describe('dumps that attack the readers', () => {
  it('a dump nested 50,000 levels deep is bad input (exit 2, file named), not a stack overflow', async () => {
    const file = join(dir, 'deep.json')
    writeFileSync(file, `{"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.BootstrapConfigDump","bootstrap":{"node":{"metadata":${'{"a":'.repeat(50_000)}"Bearer deep-t0ken-1234"${'}'.repeat(50_000)}}}}]}`)
    for (const args of [['sidecar-config', '--file', file, '-o', 'json'], ['sidecar-config', '--file', file, '--jsonpath', '$..a'], ['route', 'dry-run', '--config-dump', file]]) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(`${file}: The JSON nests deeper than 1000 levels`)
      expect(r.stderr + r.stdout).not.toMatch(/deep-t0ken|Maximum call stack|\n\s+at /)
    }
  }, 120_000)

  it('a file that is not valid JSON is named with what went wrong, never quoted', async () => {
    const file = join(dir, 'bad.json')
    writeFileSync(file, '{"configs": [hunter2-secret-pw]}')
    const key = join(dir, 'key.pem')
    writeFileSync(key, `-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBsecretbodysecretbody\n-----END EC PRIVATE KEY-----\n`)
    for (const [args, message] of [[['sidecar-config', '--file', file], /bad\.json: The config dump is not valid JSON \(Unexpected token\)/], [['sidecar-config', '--file', key], /key\.pem: .*not quoted: it holds what looks like a PEM private key/], [['route', 'verify', '--file', file, '-f', metaRouter], /not valid JSON/]] as const) {
      const r = await runCli([...args])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).not.toMatch(/hunter2|secretbody/)
    }
  }, 120_000)

  it('--request-timeout 0 or -1 is bad input', async () => {
    for (const value of ['0', '-1']) {
      const r = await runCli(['sidecar-config', '--file', dump, '--request-timeout', value])
      expect(r.code, value).toBe(2)
      expect(r.stderr).toMatch(/request-timeout[\s\S]*greater than or equal to 1/)
    }
  })
})
