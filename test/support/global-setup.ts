// vitest globalSetup: build the CLI once before any test file runs (the in-process runCli loads dist/, the spawned
// smoke tests run bin/run.js, and the library tests import the generated CRD validators). A fresh clone after
// `npm ci` therefore runs with plain `npx vitest run`. The build is `scripts/build.mjs --no-typecheck`: the files of
// `npm run build` without its type check, which .ci/run does after the tests (`npm run typecheck:test`). It is
// skipped only when dist/ was built by this setup and nothing it is built from changed since; a failing build stops
// the run with the compiler's output.
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from './cli.js'

const STAMP = join(ROOT, 'dist/.test-build-stamp')
const INPUTS = ['src', 'packages', 'scripts', 'templates', 'package.json', 'package-lock.json', 'tsconfig.json']

function newest(path: string): number {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let m = st.mtimeMs
  for (const e of readdirSync(path)) {
    // Written by the build itself, or not an input.
    if (e === 'crd-validators.generated.ts' || e === 'node_modules' || e === 'dist') continue
    m = Math.max(m, newest(join(path, e)))
  }
  return m
}

export default function setup(): void {
  const stamp = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0
  if (stamp && existsSync(join(ROOT, 'src/lib/validate/crd-validators.generated.ts')) && Math.max(...INPUTS.map(p => newest(join(ROOT, p)))) < stamp) return
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--no-typecheck'], {cwd: ROOT, stdio: 'pipe', encoding: 'utf8'})
  } catch (error: any) {
    throw new Error(`the build (scripts/build.mjs) failed; no test ran.\n${error.stdout ?? ''}${error.stderr ?? ''}`)
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`)
}
