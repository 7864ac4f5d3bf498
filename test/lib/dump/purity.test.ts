// The dump library must stay pure (no I/O): no network, files or CLI framework. Beyond its own modules it may use the
// routing types and the pure routing name helpers (cluster names, route table names), which import nothing.

import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/lib/dump')

function sources(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
}

describe('src/lib/dump purity', () => {
  const PURE_ROUTING = ['../routing/types.js', '../routing/names.js'].map((p) => path.resolve(root, p))

  it('the routing modules it may use import nothing themselves', () => {
    for (const p of PURE_ROUTING) {
      const text = readFileSync(p.replace(/\.js$/, '.ts'), 'utf8')
      expect(text.match(/^\s*(?:import|export)[^'"]*from\s+'[^']+'/gm) ?? [], p).toEqual([])
      expect(text, p).not.toMatch(/\bimport\(|\brequire\(|process\.|node:/)
    }
  })

  it('imports only its own modules, the routing types and the pure routing name helpers', () => {
    const files = sources(root)
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1])
      for (const specifier of specifiers) {
        const resolved = path.resolve(path.dirname(file), specifier)
        const allowed = resolved.startsWith(root + path.sep) || PURE_ROUTING.includes(resolved)
        expect(allowed, `${path.relative(root, file)} imports ${specifier}`).toBe(true)
      }
    }
  })
})
