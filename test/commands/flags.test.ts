// kubectl's flags mean one thing across every command (issue 14 §3): the table is read from the oclif manifest, so a
// command added with a twin definition or a borrowed short form fails here. Validation messages are compared by
// running each command with the same bad value.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT, runCli} from '../support/cli.js'
import {startFaultProxy, type FaultProxy} from '../support/fault-proxy.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {parseRequestTimeout} from '../../src/lib/cli/cluster-flags.js'

interface ManifestFlag {name: string; char?: string; type: 'option' | 'boolean'; summary?: string; default?: unknown; options?: string[]; multiple?: boolean; hidden?: boolean; helpValue?: string}
const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8'))
const commands: Array<[string, Record<string, ManifestFlag>]> = Object.entries(manifest.commands as Record<string, {flags: Record<string, ManifestFlag>; hidden?: boolean}>)
  .filter(([id, c]) => !c.hidden && !['help', 'autocomplete'].includes(id))
  .map(([id, c]) => [id, c.flags])
const withFlag = (name: string) => commands.filter(([, f]) => f[name]).map(([id]) => id)

// kubectl's short forms and the one long flag each stands for; -f is --filename (manifests) or, on log commands,
// --follow (as in kubectl logs).
const SHORT: Record<string, string[]> = {n: ['namespace'], A: ['all-namespaces'], l: ['selector'], c: ['container'], o: ['output'], f: ['filename', 'follow']}
// --kubeconfig names the file to read everywhere but in playground, which writes it (and says so in its help).
const KUBECONFIG_WRITTEN = new Set(['playground'])

describe('the kubectl flag table across all commands', () => {
  it('reads a real table: most commands reach a cluster', () => {
    expect(commands.length).toBeGreaterThan(25)
    expect(withFlag('kubeconfig').length).toBeGreaterThan(20)
  })

  it("kubectl's short forms stand for kubectl's flags only, and those flags always have them", () => {
    const wrong: string[] = []
    for (const [id, flags] of commands) {
      for (const f of Object.values(flags)) {
        if (f.char && SHORT[f.char] && !SHORT[f.char].includes(f.name)) wrong.push(`${id}: -${f.char} is --${f.name}, kubectl's -${f.char} is --${SHORT[f.char].join(' or --')}`)
        const short = Object.entries(SHORT).find(([, names]) => names.includes(f.name))?.[0]
        if (short && f.char !== short) wrong.push(`${id}: --${f.name} has ${f.char ? `-${f.char}` : 'no short form'}, kubectl's is -${short}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('--kubeconfig and --context come together, with the same help everywhere', () => {
    const summaries = {kubeconfig: new Set<string>(), context: new Set<string>()}
    const wrong: string[] = []
    for (const [id, flags] of commands) {
      if (flags.kubeconfig && !flags.context && !KUBECONFIG_WRITTEN.has(id)) wrong.push(`${id}: --kubeconfig without --context`)
      if (flags.context && !flags.kubeconfig) wrong.push(`${id}: --context without --kubeconfig`)
      for (const name of ['kubeconfig', 'context'] as const) {
        const f = flags[name]
        if (!f || KUBECONFIG_WRITTEN.has(id)) continue
        if (f.type !== 'option' || f.char || f.multiple || f.default !== undefined) wrong.push(`${id}: --${name} is not a plain option`)
        // Same words everywhere; the parenthesis says the default, or when it applies ("with --from-cluster").
        summaries[name].add(f.summary!.replace(/ \([^)]*\)$/, ''))
      }
    }
    expect(wrong).toEqual([])
    expect([...summaries.kubeconfig]).toEqual(['Path to the kubeconfig file'])
    expect([...summaries.context]).toEqual(['The kubeconfig context to use'])
  })

  it('--request-timeout is one flag (kubectl durations, default 30s), on every command that reads a cluster', () => {
    const defs = new Set(withFlag('request-timeout').map(id => JSON.stringify(Object.fromEntries(Object.entries(commands.find(([c]) => c === id)![1]['request-timeout']).filter(([k]) => k !== 'name')))))
    expect(withFlag('request-timeout').length).toBeGreaterThan(8)
    expect(defs.size).toBe(1)
    expect(JSON.parse([...defs][0])).toMatchObject({type: 'option', default: 30, helpValue: 'DURATION'})
    for (const id of withFlag('request-timeout')) expect(withFlag('kubeconfig'), id).toContain(id)
    expect(withFlag('kubeconfig').filter(id => !KUBECONFIG_WRITTEN.has(id) && !withFlag('request-timeout').includes(id))).toEqual([])
  })

  it('-o takes table|json|yaml everywhere, plus raw only where logs are printed', () => {
    for (const id of withFlag('output')) {
      const {options} = commands.find(([c]) => c === id)![1].output
      expect(options?.slice(0, 3), id).toEqual(['table', 'json', 'yaml'])
      expect(options!.slice(3), id).toEqual(id.endsWith('log') ? ['raw'] : [])
    }
  })

  it('--request-timeout takes what kubectl takes (seconds or a Go duration), at least 1s', () => {
    expect(['30', '30s', '2m', '1m30s', '1500ms', ' 5 '].map(parseRequestTimeout)).toEqual([30, 30, 120, 90, 1.5, 5])
    for (const bad of ['0', '-1', '0s', '500ms', 'abc', '5x', '']) expect(() => parseRequestTimeout(bad), bad).toThrow(/greater than or equal to 1s/)
  })

  it('the same bad --request-timeout or -o gets the same message and exit 2 from every command', async () => {
    const seen = new Map<string, Set<string>>()
    const note = (kind: string, id: string, r: {code: number; stderr: string}) => {
      expect(r.code, `${id} ${kind}: ${r.stderr}`).toBe(2)
      // The message without the command-specific option list.
      const msg = r.stderr.replace(/\s*›\s*/g, ' ').replace(/one of: [a-z, ]+/, 'one of: …').trim()
      if (!seen.has(kind)) seen.set(kind, new Set())
      seen.get(kind)!.add(msg)
    }
    for (const id of withFlag('request-timeout')) note('request-timeout', id, await runCli([...id.split(':'), '--request-timeout', '5x']))
    for (const id of withFlag('output')) note('output', id, await runCli([...id.split(':'), '-o', 'xml']))
    for (const [kind, messages] of seen) expect([...messages], kind).toHaveLength(1)
    expect([...seen.get('request-timeout')!][0]).toMatch(/Parsing --request-timeout expected a duration greater than or equal to 1s, such as 30 \(seconds\), 30s or 2m, not "5x"/)
    expect([...seen.get('output')!][0]).toMatch(/Expected --output=xml to be one of: …/)
  }, 120_000)
})

// --request-timeout acts: against an API server that never answers, each family of cluster command gives up after
// it with the timeout error (exit 4), where the default would wait 30 s per request. The test's bound (20 s) is a
// failure bound, not a measure.
describe('--request-timeout bounds every request, in every kind of command', () => {
  let pg: Playground
  let proxy: FaultProxy
  let kubeconfig: string
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift']})
    proxy = await startFaultProxy(pg.emu)
    kubeconfig = proxy.writeKubeconfig(join(pg.dir, 'proxy.kubeconfig'), 'default')
    proxy.rules.stall = /./ // nothing is ever answered
  })
  afterAll(async () => {
    await proxy?.close()
    await pg?.close()
  })

  for (const args of [
    ['apply', 'method-route'],
    ['restart', 'server-v1', 'meta-thrift'],
    ['app-log', 'client', 'meta-thrift', '--tail', '1'],
    ['istiod', 'log', '--tail', '1'],
    ['install', 'demo', 'thrift'],
    ['uninstall', 'demo', '--yes'],
    ['route', 'analyze', '--from-cluster'],
    ['route', 'dry-run', '--from-cluster'],
    ['route', 'dry-run', '--pod', 'client', '-n', 'meta-thrift'],
  ]) {
    it(`${args.join(' ')} --request-timeout 1s: gives up, exit 4`, async () => {
      const stalledBefore = proxy.stalled
      const r = await runCli([...args, '--kubeconfig', kubeconfig, '--request-timeout', '1s'])
      expect(r.code, r.stderr).toBe(4)
      expect(r.stderr).toMatch(/no answer within 1s from the Kubernetes API of context "fault-proxy"/)
      expect(proxy.stalled).toBeGreaterThan(stalledBefore)
    }, 20_000)
  }
})
