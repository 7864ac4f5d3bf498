// The dump library must stay pure: no network, no CLI framework, nothing outside src/lib beyond the routing types.

import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/lib/dump')

function sources(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []))
}

describe('src/lib/dump purity', () => {
  it('imports only its own modules and the routing types', () => {
    const files = sources(root)
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1])
      for (const specifier of specifiers) {
        const resolved = path.resolve(path.dirname(file), specifier)
        const allowed = resolved.startsWith(root + path.sep) || resolved === path.resolve(root, '../routing/types.js')
        expect(allowed, `${path.relative(root, file)} imports ${specifier}`).toBe(true)
      }
    }
  })
})
