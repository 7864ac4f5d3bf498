// Issue 12 §5: inputs that used to crash, hang or exhaust the CLI are bad input with a clear message, in bounded
// time and memory, and patterns typed by users run on RE2.
import {mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {applySuppressions} from '../../../src/lib/analyze/analyze.js'
import {userPattern} from '../../../src/lib/re2/user-pattern.js'
import {InputError} from '../../../src/lib/resources/errors.js'
import {parseManifests} from '../../../src/lib/resources/parse.js'
import {readManifests} from '../../../src/lib/resources/read.js'
import {applyJsonPath} from '../../../src/lib/sidecar/view.js'
import {distImport, runModuleScript} from '../../support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'aerakictl-hostile-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: default\n`

describe('manifest reading under attack', () => {
  // The case was 130,000 documents on Node's default stack (984 KiB), where a spread of them into push()
  // overflowed. The same case at a seventh of the cost: 20,000 documents on a 120 KiB stack, where a spread of the
  // 20,000 read objects overflows too (checked in the same process, so the stack is small enough to catch it).
  it('reads 20,000 documents from one file on a 120 KiB stack, where a spread of them overflows', async () => {
    const file = join(dir, 'many.yaml')
    const parts: string[] = []
    for (let i = 0; i < 20_000; i++) parts.push(doc(i))
    writeFileSync(file, parts.join('---\n'))
    const script = `import {readManifests} from ${distImport('lib/resources/read.js')}
const objects = await readManifests([${JSON.stringify(file)}])
let spreadOverflows = false
try { [].push(...objects) } catch (e) { spreadOverflows = e instanceof RangeError }
process.stdout.write(JSON.stringify({length: objects.length, last: objects.at(-1).obj.metadata.name, spreadOverflows}))`
    const {stdout} = await runModuleScript(script, {nodeArgs: ['--stack-size=120']})
    expect(JSON.parse(stdout)).toEqual({length: 20_000, last: 'c19999', spreadOverflows: true})
  }, 120_000)

  it('an alias bomb is bad input naming the file and line, not a ReferenceError', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n'
    expect(() => parseManifests(bomb, 'bomb.yaml')).toThrow(InputError)
    expect(() => parseManifests(bomb, 'bomb.yaml')).toThrow(/^bomb\.yaml:1:1: too many YAML aliases/)
  })

  it('YAML errors never quote the input (a token in a bad line, an unknown tag), in manifests and route test suites', async () => {
    const text = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  token: "tok-s3cr3t-123\n'
    expect(() => parseManifests(text, 's.yaml')).toThrow(/^s\.yaml:\d+:\d+: /)
    try {
      parseManifests(text, 's.yaml')
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cr3t')
    }
    const {parseSuite} = await import('../../../src/lib/routetest/suite.js')
    for (const suite of ['tests:\n- input: {token: !!vault-tok-s3cr3t x}\n', 'tests:\n- input: {token: "tok-s3cr3t\n']) {
      let message = ''
      try {
        parseSuite(suite, 'suite.yaml')
      } catch (e) {
        message = (e as Error).message
      }
      expect(message).toMatch(/^suite\.yaml(:\d+:\d+)?: /)
      expect(message).not.toContain('s3cr3t')
    }
  })

  it('route test reads unquoted 64-bit random values exactly', async () => {
    const {parseSuite} = await import('../../../src/lib/routetest/suite.js')
    const [a, b] = parseSuite('tests:\n- test_name: a\n  input: {host: h, random_value: 10000000000000002050}\n  validate: {subset: v1}\n- test_name: b\n  input: {host: h, random_value: 18446744073709551615}\n  validate: {subset: v1}\n', 'r.yaml')
    expect(a.input.randomValue).toBe(10000000000000002050n)
    expect(b.input.randomValue).toBe(18446744073709551615n)
    expect(() => parseSuite('tests:\n- test_name: c\n  input: {host: h, random_value: 18446744073709551616}\n  validate: {subset: v1}\n', 'r.yaml')).toThrow(/not an unsigned 64-bit integer/)
  })

  it('link loops and too-large files are bad input naming the path', async () => {
    const loop = join(dir, 'loop.yaml')
    symlinkSync(loop, loop)
    await expect(readManifests([loop])).rejects.toThrow(/too many levels of symbolic links.*loop\.yaml/)
    const big = join(dir, 'big.yaml')
    writeFileSync(big, doc(1))
    const before = process.env.AERAKICTL_MAX_INPUT_MB
    process.env.AERAKICTL_MAX_INPUT_MB = '0.00001'
    try {
      await expect(readManifests([big])).rejects.toThrow(/big\.yaml: 0\.0 MB is more than the [0-9.e-]+ MB input limit \(--max-input-mb or AERAKICTL_MAX_INPUT_MB raises it\)/)
    } finally {
      if (before === undefined) delete process.env.AERAKICTL_MAX_INPUT_MB
      else process.env.AERAKICTL_MAX_INPUT_MB = before
    }
    // Unreadable files and folders: test/commands/permissions.test.ts (the built CLI, without root's file override).
  })
})

describe('user patterns run on RE2', () => {
  it('a catastrophic-backtracking pattern answers at once on a long line, and RE2-only syntax errors are bad input', () => {
    const p = userPattern('(\\S+\\s*)*x', '--include')
    // A backtracking engine needs ~2^40 steps here; RE2 is linear.
    expect(p.test(`${'a '.repeat(40)}!`)).toBe(false)
    expect(p.test('a b x')).toBe(true)
    expect(() => userPattern('(a)\\1', '--include')).toThrow(/--include: not a valid regular expression in RE2 syntax/)
    expect(() => userPattern('(?=a)', '--exclude')).toThrow(/--exclude: not a valid regular expression in RE2 syntax/)
  })

  it('analyze --suppress globs with many stars stay linear', () => {
    const findings = [{code: 'A'.repeat(60), severity: 'warning', message: 'm', resource: `MetaRouter ns/${'a'.repeat(60)}`}] as any
    const r = applySuppressions(findings, [`${'A*'.repeat(30)}B=*`, `${'*A'.repeat(30)}=ns/*`])
    expect(r.suppressed).toBe(1)
    expect(applySuppressions(findings, [`${'A*'.repeat(30)}B`]).suppressed).toBe(0)
  })
})

describe('--jsonpath syntax', () => {
  it('rejects what jsonpath-plus would read as "everything"', () => {
    for (const bad of ['$..[', '$.configs[', '$.configs[0', '$..', '$.', "$['a", '$.a)']) {
      expect(() => applyJsonPath({configs: []}, bad), bad).toThrow(/--jsonpath: not a valid JSONPath/)
    }
    expect(applyJsonPath({configs: [{'@type': 't'}]}, '$.configs[*]["@type"]')).toEqual(['t'])
  })
})

describe('kinds that no server serves', () => {
  it('a misspelt MetaRouter kind or a MetaRouter in the wrong API group is an error finding, not "no issues"', async () => {
    const {analyzeObjects} = await import('../../../src/lib/analyze/analyze.js')
    const text = 'apiVersion: metaprotocol.aeraki.io/v1alpha1\nkind: MetaRoutr\nmetadata: {name: x, namespace: meta-thrift}\nspec: {hosts: [a]}\n---\napiVersion: networking.istio.io/v1alpha3\nkind: MetaRouter\nmetadata: {name: y, namespace: meta-thrift}\nspec: {hosts: [a]}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: z, namespace: meta-thrift}\n'
    const r = analyzeObjects(parseManifests(text, 'k.yaml'))
    const unknown = r.findings.filter((f) => f.code === 'UNKNOWN_KIND')
    expect(unknown.map((f) => [f.severity, f.location])).toEqual([['error', 'k.yaml:1'], ['error', 'k.yaml:6']])
    expect(unknown[0].message).toContain('did you mean MetaRouter?')
    expect(unknown[1].message).toContain('served in API group metaprotocol.aeraki.io')
  })
})
