// The contract every command keeps: with --json, stdout is exactly one JSON document, on success and on failure,
// and the exit code is the one of the table in src/lib/cli/exit-codes.ts. Errors are {"error": {code, message,
// exitCode}}; results that are not a success (a failed test, findings) are the result document itself.
// The cases cover every command in the manifest: a command added without cases fails the first test.
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, ROOT, runCli, type CliResult} from '../support/cli.js'
import {deadKubeconfig, startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {EXIT_CODES, ExitCode} from '../../src/lib/cli/exit-codes.js'
import {until} from '../support/wait.js'

// Commands of plugins, which take no --json (help text is not data).
const PLUGIN_COMMANDS = new Set(['help', 'autocomplete'])

interface Case {
  args: (ctx: Ctx) => string[]
  code: ExitCode
  /** error: the {"error": …} document; result: a result document (checked by `check`). */
  kind: 'result' | 'error'
  errorCode?: RegExp
  check?: (doc: any) => void
  input?: (ctx: Ctx) => string
  /** How to run it when not in-process through runCli (a command that serves until a signal). */
  run?: (args: string[], ctx: Ctx) => Promise<CliResult>
}

interface Ctx {
  kube: string
  dead: string
  dir: string
  dump: string
}

const TEST_OK = `tests:
  - test_name: sayHello goes to v1
    input: {host: thrift-sample-server, attributes: {method: sayHello}}
    validate: {route_name: v1, subset: v1}
`
const TEST_FAILS = TEST_OK.replace('subset: v1', 'subset: v2')
const BAD_SUBSET = `apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: bad-subset, namespace: meta-thrift}
spec:
  hosts: [thrift-sample-server.meta-thrift.svc.cluster.local]
  routes:
    - name: v3
      route:
        - destination: {host: thrift-sample-server.meta-thrift.svc.cluster.local, subset: v3}
`
const DEMO = join(ROOT, 'templates/demo/thrift')

const CASES: Record<string, {success: Case[]; failure: Case[]}> = {
  'route:dry-run': {
    success: [{args: () => ['route', 'dry-run', '--template', 'method-route'], code: 0, kind: 'result', check: d => expect(d.route.name).toBe('v1')}],
    failure: [{args: () => ['route', 'dry-run', '--host', 'nosuch'], code: 2, kind: 'error', errorCode: /^BAD_INPUT$/}],
  },
  'route:analyze': {
    success: [{args: () => ['route', 'analyze', '-f', DEMO], code: 0, kind: 'result', check: d => expect(d.failed).toBe(false)}],
    failure: [
      {args: c => ['route', 'analyze', '-f', DEMO, '-f', join(c.dir, 'bad-subset.yaml')], code: 79, kind: 'result', check: d => expect(d.findings.map((f: any) => f.code)).toContain('SUBSET_NOT_IN_DESTINATIONRULE')},
      {args: () => ['route', 'analyze', '--nope'], code: 2, kind: 'error', errorCode: /^BAD_FLAGS$/},
    ],
  },
  'route:test': {
    success: [{args: () => ['route', 'test', '-t', '-', '--template', 'method-route'], input: () => TEST_OK, code: 0, kind: 'result', check: d => expect(d).toMatchObject({passed: 1, failed: 0})}],
    failure: [
      {args: () => ['route', 'test', '-t', '-', '--template', 'method-route'], input: () => TEST_FAILS, code: 3, kind: 'result', check: d => expect(d).toMatchObject({passed: 0, failed: 1, failedRun: true})},
      {args: c => ['route', 'test', '-t', '-', '--from-cluster', '--kubeconfig', c.dead], input: () => TEST_OK, code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/},
    ],
  },
  'route:verify': {
    success: [{args: c => ['route', 'verify', 'client', 'meta-thrift', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.inSync).toBe(true)}],
    failure: [
      {args: c => ['route', 'verify', '--config-dump', c.dump, '-f', join(c.dir, 'bad-subset.yaml')], code: 3, kind: 'result', check: d => expect(d.inSync).toBe(false)},
      {args: c => ['route', 'verify', 'client', 'meta-thrift', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/},
    ],
  },
  'sidecar-config': {
    success: [{args: c => ['sidecar-config', '--config-dump', c.dump, '--section', 'routes'], code: 0, kind: 'result', check: d => expect(d.configs).toBeInstanceOf(Array)}],
    failure: [{args: c => ['sidecar-config', 'nosuch', 'meta-thrift', '--kubeconfig', c.kube], code: 4, kind: 'error', errorCode: /^CLUSTER_NOT_FOUND$/}],
  },
  'app-log': {
    success: [{args: c => ['app-log', 'client', 'meta-thrift', '--tail', '1', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.lines.length).toBeGreaterThan(0)}],
    failure: [{args: c => ['app-log', 'deploy/nope', 'meta-thrift', '--kubeconfig', c.kube], code: 4, kind: 'error', errorCode: /^CLUSTER_NOT_FOUND$/}],
  },
  apply: {
    success: [{args: c => ['apply', 'method-route', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.objects.length).toBe(1)}],
    failure: [
      {args: c => ['apply', 'traffic-split', '--set', 'weights=v1:20,v3:80', '--kubeconfig', c.kube], code: 79, kind: 'result', check: d => expect(d).toMatchObject({applied: false, message: expect.stringContaining('nothing was applied')})},
      {args: c => ['apply', 'method-route', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/},
    ],
  },
  'install:demo': {
    success: [{args: () => ['install', 'demo', 'dubbo', '-o', 'yaml'], code: 0, kind: 'result', check: d => expect(d.manifests.length).toBeGreaterThan(3)}],
    failure: [{args: c => ['install', 'demo', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  },
  'uninstall:demo': {
    success: [{args: c => ['uninstall', 'demo', 'dubbo', '--yes', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.namespaces).toBeInstanceOf(Array)}],
    failure: [
      {args: c => ['uninstall', 'demo', '--kubeconfig', c.kube], code: 2, kind: 'error', errorCode: /^BAD_INPUT$/},
      {args: c => ['uninstall', 'demo', '--yes', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/},
    ],
  },
  templates: {
    success: [{args: () => ['templates'], code: 0, kind: 'result', check: d => expect(d.map((t: any) => t.name)).toContain('method-route')}],
    failure: [{args: () => ['templates', '-o', 'xml'], code: 2, kind: 'error', errorCode: /^BAD_FLAGS$/}],
  },
  'templates:list': {
    success: [{args: () => ['templates', 'list'], code: 0, kind: 'result', check: d => expect(d.length).toBeGreaterThan(5)}],
    failure: [{args: () => ['templates', 'list', '--output', 'xml'], code: 2, kind: 'error', errorCode: /^BAD_FLAGS$/}],
  },
  'templates:show': {
    success: [{args: () => ['templates', 'show', 'traffic-split'], code: 0, kind: 'result', check: d => expect(d).toMatchObject({name: 'traffic-split'})}],
    failure: [{args: () => ['templates', 'show', 'nope'], code: 2, kind: 'error', errorCode: /^BAD_INPUT$/}],
  },
  'istiod:debug': {
    success: [{args: () => ['istiod', 'debug'], code: 0, kind: 'result', check: d => expect(d.endpoints.length).toBeGreaterThan(3)}],
    failure: [{args: c => ['istiod', 'debug', 'configz', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  },
  // istiod's /debug pages through the playground's istiod pod: each lists the demo's Thrift service in its own way.
  'istiod:config': {
    success: [{args: c => ['istiod', 'config', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d).toContainEqual(expect.objectContaining({kind: 'MetaRouter', namespace: 'meta-thrift'}))}],
    failure: [{args: c => ['istiod', 'config', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  },
  'istiod:registry': {
    success: [{args: c => ['istiod', 'registry', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(JSON.stringify(d)).toContain('thrift-sample-server.meta-thrift.svc.cluster.local')}],
    failure: [{args: c => ['istiod', 'registry', '-n', 'nosuch-ns', '--kubeconfig', c.kube], code: 4, kind: 'error', errorCode: /^CLUSTER_NOT_FOUND$/}],
  },
  'istiod:endpoints': {
    success: [{args: c => ['istiod', 'endpoints', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.filter((r: any) => r.service === 'thrift-sample-server.meta-thrift.svc.cluster.local').length).toBe(2)}],
    failure: [{args: c => ['istiod', 'endpoints', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  },
  'istiod:instances': {
    success: [{args: c => ['istiod', 'instances', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(JSON.stringify(d)).toMatch(/thrift-sample-server-v1-\S+\.meta-thrift/)}],
    failure: [{args: c => ['istiod', 'instances', '--request-timeout', '0', '--kubeconfig', c.kube], code: 2, kind: 'error', errorCode: /^BAD_(FLAGS|INPUT)$/}],
  },
  'istiod:ads': {
    success: [{args: c => ['istiod', 'ads', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.length).toBeGreaterThan(0)}],
    failure: [{args: c => ['istiod', 'ads', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  },
  ...Object.fromEntries(['istiod', 'aeraki'].map(component => [`${component}:log`, {
    success: [{args: (c: Ctx) => [component, 'log', '--tail', '1', '--kubeconfig', c.kube], code: 0, kind: 'result', check: (d: any) => expect(d.lines).toBeInstanceOf(Array)}],
    failure: [{args: (c: Ctx) => [component, 'log', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  } satisfies {success: Case[]; failure: Case[]}])),
  'gateway:log': {
    success: [{args: c => ['gateway', 'log', '--tail', '1', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.lines).toBeInstanceOf(Array)}],
    failure: [{args: c => ['gateway', 'log', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  },
  'gateway-config': {
    success: [{args: c => ['gateway-config', '--config-dump', c.dump, '--section', 'listeners'], code: 0, kind: 'result', check: d => expect(d.configs).toBeInstanceOf(Array)}],
    failure: [{args: c => ['gateway-config', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  },
  'sidecar:log': {
    success: [{args: c => ['sidecar', 'log', 'client', 'meta-thrift', '--tail', '1', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.lines[0].container).toBe('istio-proxy')}],
    failure: [{args: c => ['sidecar', 'log', 'nosuch', 'meta-thrift', '--kubeconfig', c.kube], code: 4, kind: 'error', errorCode: /^CLUSTER_NOT_FOUND$/}],
  },
  'sidecar:admin': {
    success: [{args: c => ['sidecar', 'admin', 'client', 'meta-thrift', 'server_info', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(JSON.parse(d.answer).state).toBe('LIVE')}],
    failure: [{args: c => ['sidecar', 'admin', 'client', 'meta-thrift', 'logging?level=debug', '--kubeconfig', c.kube], code: 2, kind: 'error', errorCode: /^BAD_INPUT$/}],
  },
  'sidecar:stats': {
    success: [{args: c => ['sidecar', 'stats', 'client', 'meta-thrift', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.stats[0].name).toMatch(/^envoy_meta_protocol_/)}],
    failure: [{args: c => ['sidecar', 'stats', 'client', 'meta-thrift', '--interval', '0', '--kubeconfig', c.kube], code: 2, kind: 'error', errorCode: /^BAD_INPUT$/}],
  },
  'sidecar:log-level': {
    success: [{args: c => ['sidecar', 'log-level', 'client', 'meta-thrift', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.thrift).toMatch(/^(trace|debug|info|warning|error|critical|off)$/)}],
    failure: [{args: c => ['sidecar', 'log-level', 'client', 'meta-thrift', '--kubeconfig', c.dead], code: 4, kind: 'error', errorCode: /^CLUSTER_UNREACHABLE$/}],
  },
  restart: {
    success: [{args: c => ['restart', 'server-v1', 'meta-thrift', '--kubeconfig', c.kube], code: 0, kind: 'result', check: d => expect(d.restarted).toEqual([expect.objectContaining({kind: 'Deployment', name: 'thrift-sample-server-v1'})])}],
    failure: [{args: c => ['restart', 'server-v2', 'meta-thrift', '--force', '--kubeconfig', c.kube], code: 2, kind: 'error', errorCode: /^BAD_INPUT$/}],
  },
  completion: {
    success: [{args: () => ['completion', 'fish'], code: 0, kind: 'result', check: d => expect(d).toMatchObject({shell: 'fish', script: expect.stringContaining('__complete')})}],
    failure: [{args: () => ['completion', 'tcsh'], code: 2, kind: 'error', errorCode: /^BAD_FLAGS$/}],
  },
  version: {
    success: [{args: () => ['version'], code: 0, kind: 'result', check: d => expect(d).toMatchObject({name: 'aerakictl', node: process.version})}],
    failure: [{args: () => ['version', '--nope'], code: 2, kind: 'error', errorCode: /^BAD_FLAGS$/}],
  },
  playground: {
    // Serves until a signal: SIGTERM is the ordinary stop (exit 0); Ctrl-C (130) is the spawned test below.
    success: [{args: c => ['playground', '--kubeconfig', join(c.dir, 'pg-term.kubeconfig'), '--speed', '10'], run: (args) => serveThenSignal(args, 'SIGTERM'), code: 0, kind: 'result', check: d => expect(d).toMatchObject({context: 'aerakictl-playground', bare: false, url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/)})}],
    failure: [{args: () => ['playground', '--speed', 'fast'], code: 2, kind: 'error', errorCode: /^BAD_INPUT$/}],
  },
}

/** The real binary, stopped with `signal` once it says it serves (never before: a signal while starting is another case). */
async function serveThenSignal(args: string[], signal: NodeJS.Signals): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', b => (stdout += b))
  // A death by signal is said in stderr (the code alone, -1, does not say which signal or that it was one).
  const exited = new Promise<number | null>(res => child.on('exit', (code, sig) => { if (sig) stderr += `\n[child killed by ${sig}]`; res(code) }))
  await new Promise<void>((res, rej) => {
    child.stderr.on('data', b => {
      stderr += b
      if (stderr.includes('Serving until Ctrl-C')) res()
    })
    void exited.then(() => rej(new Error(`exited before serving: ${stderr}`)))
  })
  child.kill(signal)
  const code = await exited
  return {code: code ?? -1, stdout, stderr}
}

function oneDocument(stdout: string): any {
  // Exactly one document: JSON.parse refuses anything after it (a second document, text).
  return JSON.parse(stdout)
}

describe('every command with --json: one JSON document on stdout, the exit code of the table', () => {
  let pg: Playground
  let ctx: Ctx
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift', 'dubbo']})
    const dir = mkdtempSync(join(tmpdir(), 'aerakictl-contract-'))
    writeFileSync(join(dir, 'bad-subset.yaml'), BAD_SUBSET)
    // A real dump of the client's sidecar, taken from the playground with the CLI itself.
    const dump = join(dir, 'client-dump.json')
    const fetched = await runCli(['sidecar-config', 'client', 'meta-thrift', '-o', 'json', '--kubeconfig', pg.kubeconfig])
    expect(fetched.code, fetched.stderr).toBe(0)
    writeFileSync(dump, fetched.stdout)
    ctx = {kube: pg.kubeconfig, dead: deadKubeconfig(dir), dir, dump}
    // app-log's success case reads the client's last line: wait until the client has written one.
    const client = () => pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'pods'), 'meta-thrift').find((p: any) => p.metadata.name.startsWith('thrift-sample-client') && p.status?.phase === 'Running')
    await until(() => { const c = client(); return c && pg.emu.state.logs.buffer('meta-thrift', c.metadata!.name!, 'thrift-sample-client').lines.length > 0 }, 'a line in the client log')
  })
  afterAll(async () => {
    await pg?.close()
    if (ctx) rmSync(ctx.dir, {recursive: true, force: true})
  })

  it('has a success and a failure case for every command of the CLI', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
    const ids = Object.keys(manifest.commands).filter(id => !PLUGIN_COMMANDS.has(id) && !manifest.commands[id].hidden)
    for (const id of ids) {
      expect(CASES[id], `no --json cases for ${id}`).toBeDefined()
      expect(CASES[id].failure.length, id).toBeGreaterThan(0)
      expect(CASES[id].success.length, `${id}: no success case`).toBeGreaterThan(0)
      expect(manifest.commands[id].flags.json, `${id} has no --json`).toBeDefined()
    }
    expect(Object.keys(CASES).sort()).toEqual(ids.sort())
  })

  for (const [id, {success, failure}] of Object.entries(CASES)) {
    for (const [i, c] of [...success.map(c => ['success', c] as const), ...failure.map(c => ['failure', c] as const)].entries()) {
      it(`${id} (${c[0]} ${i + 1}): exit ${c[1].code}`, async () => {
        const kase = c[1]
        const args = [...kase.args(ctx), '--json']
        const r = kase.run ? await kase.run(args, ctx) : await runCli(args, kase.input ? {input: kase.input(ctx)} : {})
        expect(r.code, r.stderr).toBe(kase.code)
        expect(EXIT_CODES.map(e => e.code)).toContain(r.code)
        const doc = oneDocument(r.stdout)
        if (kase.kind === 'error') {
          expect(Object.keys(doc)).toEqual(['error'])
          expect(Object.keys(doc.error)).toEqual(['code', 'message', 'exitCode'])
          expect(doc.error.exitCode).toBe(kase.code)
          expect(doc.error.code).toMatch(kase.errorCode!)
          expect(doc.error.message.length).toBeGreaterThan(5)
          expect(r.stdout).not.toMatch(/\n\s+at /) // no stack trace in the document
        } else {
          expect(doc.error?.exitCode).toBeUndefined() // not an error document
          kase.check?.(doc)
        }
      })
    }
  }

  it('a mistyped command: "did you mean" with the space separator, exit 2, the error document under --json', async () => {
    const text = await runCli(['route', 'dryrun'])
    expect(text.code).toBe(2)
    expect(text.stderr).toBe('Error: "route dryrun" is not a command of aerakictl. Did you mean "route dry-run"? Run "aerakictl help" for the list.\n')
    const json = await runCli(['route', 'dryrun', '--json'])
    expect(json.code).toBe(2)
    expect(oneDocument(json.stdout)).toEqual({error: {code: 'COMMAND_NOT_FOUND', message: expect.stringContaining('Did you mean "route dry-run"?'), exitCode: 2}})
    // Extra words after a command are its arguments: its own parser names the unexpected one.
    const extra = await runCli(['templates', 'list', 'extra', '--json'])
    expect(extra.code).toBe(2)
    expect(oneDocument(extra.stdout).error.message).toMatch(/^Unexpected argument: extra/)
  })

  it('playground --json prints one document once it listens, and exits 130 on Ctrl-C, nothing printed after it', async () => {
    const path = join(ctx.dir, 'pg.kubeconfig')
    const r = await serveThenSignal(['playground', '--json', '--kubeconfig', path, '--speed', '10'], 'SIGINT')
    expect(r.code, r.stderr).toBe(ExitCode.INTERRUPTED)
    const doc = oneDocument(r.stdout)
    expect(doc).toMatchObject({kubeconfig: path, context: 'aerakictl-playground', bare: false})
    expect(doc.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(r.stderr).toMatch(/Stopped \(SIGINT\)/)
  })
})
