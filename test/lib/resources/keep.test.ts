// Issue 12 "Keep": what the adversarial pass found handled well, pinned by a test each where none existed.
// Malformed YAML and duplicate keys at file:line:col, BOM and CRLF, binaries, deep YAML; no shell strings anywhere
// (nothing in the CLI spawns a process: client-node runs exec credential plugins with an argument vector);
// every listener the CLI or its playground opens is bound to loopback.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseManifests} from '../../../src/lib/resources/parse.js'
import {InputError} from '../../../src/lib/resources/errors.js'
import {ROOT} from '../../support/cli.js'

function failure(text: string): InputError {
  try {
    parseManifests(text, 'm.yaml')
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected bad input')
}

describe('manifests a careless user writes', () => {
  it('a BOM and CRLF line ends are read, and positions count lines as an editor does', () => {
    const loaded = parseManifests('\uFEFFapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: b\r\n', 'm.yaml')
    expect(loaded.map(l => [l.obj.metadata?.name, l.source.line])).toEqual([['a', 1], ['b', 6]])
    expect(loaded[0].obj.apiVersion).toBe('v1') // not "\uFEFFapiVersion"
  })

  it('malformed YAML (also with CRLF) names file:line:col and does not quote the input', () => {
    expect(failure('apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: [secret-value\r\n').message).toMatch(/^m\.yaml:5:1: [^\n]*$/)
    expect(failure('apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: [secret-value\r\n').message).not.toContain('secret-value')
  })

  it('a duplicate key names file:line:col of the second one', () => {
    expect(failure('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n').message).toBe('m.yaml:5:3: Map keys must be unique')
  })

  it('a binary file is bad input naming the file, not a crash', () => {
    expect(failure('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00').message).toMatch(/^m\.yaml:1:1: expected a Kubernetes object/)
  })

  it('deeply nested YAML (flow and block) is bad input naming where, not a stack overflow', () => {
    for (const text of ['a: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n', Array.from({length: 3000}, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' 1\n']) {
      expect(failure(text).message).toMatch(/^m\.yaml:\d+:\d+: the YAML nests too deeply to read/)
    }
  })
})

/** The TypeScript sources of the CLI and the emulator package. */
function sources(): Array<{file: string; text: string}> {
  const out: Array<{file: string; text: string}> = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (p.endsWith('.ts')) out.push({file: relative(ROOT, p), text: readFileSync(p, 'utf8')})
    }
  }
  walk(join(ROOT, 'src'))
  walk(join(ROOT, 'packages/kube-emulator/src'))
  return out
}

describe('nothing for an attacker to inject or connect to', () => {
  const all = sources()

  it('reads the sources it checks', () => {
    expect(all.length).toBeGreaterThan(100)
    expect(all.some(s => s.file === 'src/lib/kube/client.ts')).toBe(true)
  })

  it('no shell strings: no module spawns a process (child_process) or evaluates code', () => {
    const offenders = all.filter(s => /['"](node:)?child_process['"]|\bshell:\s*true|\bnew Function\(|\beval\(/.test(s.text)).map(s => s.file)
    expect(offenders).toEqual([])
  })

  it('every listener binds 127.0.0.1 (the playground API), never all interfaces; port-forward opens none', () => {
    const calls = all.flatMap(s => [...s.text.matchAll(/\.listen\(([^)]*)\)/g)].map(m => ({file: s.file, args: m[1]})))
    expect(calls.length).toBeGreaterThanOrEqual(1)
    for (const c of calls) expect(c.args, `${c.file}: .listen(${c.args})`).toMatch(/,\s*'127\.0\.0\.1'/)
    // The admin API is read over an in-memory connection, not a loopback port other local users could reach.
    const pf = all.find(s => s.file === 'src/lib/sidecar/port-forward.ts')!
    expect(pf.text).toMatch(/createConnection: \(\) => connection/)
    expect(pf.text).not.toMatch(/createServer|\.listen\(/)
  })
})
