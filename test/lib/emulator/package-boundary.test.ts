// The emulator package stands on its own: its sources import only each other, Node built-ins and the package's
// declared dependencies (never the CLI's src/), and test-only fault injection is reachable only via /testing.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'
import * as main from '@aerakictl/kube-emulator'
import * as testing from '@aerakictl/kube-emulator/testing'

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '../../../packages/kube-emulator')
const srcDir = join(pkgDir, 'src')
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : []
  })
}

/** Every module specifier of a file: static imports/exports (incl. `import type`) and dynamic import(). */
function specifiers(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm)) out.push(m[1])
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1])
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1])
  return out
}

describe('@aerakictl/kube-emulator import graph', () => {
  const files = sources(srcDir)
  const allowed = new Set(Object.keys(pkg.dependencies ?? {}))

  it('finds the package sources and their imports (the scan itself works)', () => {
    expect(files.length).toBeGreaterThan(15)
    expect(specifiers(readFileSync(join(srcDir, 'core.ts'), 'utf8'))).toContain('./cluster.js')
    expect(specifiers(`import type {X} from '../../src/lib/x.js'\nconst m = await import('y')`)).toEqual(['../../src/lib/x.js', 'y'])
  })

  it('imports nothing outside the package but Node built-ins and its declared dependencies', () => {
    const bad: string[] = []
    for (const f of files) {
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        if (s.startsWith('node:')) continue
        if (s.startsWith('.')) {
          const target = resolve(dirname(f), s)
          if (relative(srcDir, target).startsWith('..')) bad.push(`${relative(pkgDir, f)} → ${s}`)
          continue
        }
        const name = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]
        if (!allowed.has(name)) bad.push(`${relative(pkgDir, f)} → ${s}`)
      }
    }
    expect(bad).toEqual([])
  })

  it('keeps fault injection and the limited token out of the main entry point', async () => {
    expect(Object.keys(main)).not.toContain('Faults')
    expect(Object.keys(main)).not.toContain('startTestEmulator')
    expect(typeof testing.startTestEmulator).toBe('function')
    const emu = await main.startEmulator()
    try {
      expect(emu).not.toHaveProperty('faults')
      expect(emu).not.toHaveProperty('limitedToken')
    } finally {
      await emu.close()
    }
  })
})
