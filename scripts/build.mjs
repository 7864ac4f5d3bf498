#!/usr/bin/env node
// `npm run build`: dist/ from src/ (and the emulator package's dist/), then the files generated from it, then the
// bundle. The JavaScript is emitted by esbuild, one file per source file (tsconfig.json sets isolatedModules, so
// every file compiles on its own); the TypeScript compiler only checks types, alongside the emit. With
// --no-typecheck (the test suite's global setup: `npm run typecheck:test` checks src and test after the tests)
// the output is the same files, only the type check is left out.
import {execFile} from 'node:child_process'
import {cpSync, readdirSync, rmSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import * as esbuild from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const typecheck = !process.argv.includes('--no-typecheck')
const exec = promisify(execFile)
const bin = (name) => join(root, 'node_modules', '.bin', name)

/** Runs a build step; its output is shown only when it fails. */
async function step(file, args) {
  try {
    await exec(file, args, {cwd: root, maxBuffer: 64 << 20})
  } catch (e) {
    process.stderr.write(`${[file, ...args].map(a => relative(root, a) || a).join(' ')} failed\n${e.stdout ?? ''}${e.stderr ?? ''}`)
    process.exit(1)
  }
}

/** Every file under `dir` (relative paths). */
function walk(dir, base = dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap(e => (e.isDirectory() ? walk(join(dir, e.name), base) : [relative(base, join(dir, e.name))]))
}

/** src/**.ts(x) → dist/**.js, and the other files of src (JSON schemas, the RE2 wasm) copied beside them. */
async function emit(pkg) {
  const src = join(pkg, 'src')
  const out = join(pkg, 'dist')
  const files = walk(src)
  const sources = files.filter(f => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
  await esbuild.build({
    entryPoints: sources.map(f => join(src, f)),
    outdir: out,
    outbase: src,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    jsx: 'automatic',
    tsconfig: join(pkg, 'tsconfig.json'),
    logLevel: 'error',
  })
  for (const f of files.filter(f => !/\.tsx?$/.test(f))) cpSync(join(src, f), join(out, f))
}

const emulator = join(root, 'packages', 'kube-emulator')
rmSync(join(root, 'dist'), {recursive: true, force: true})
await step(process.execPath, [join(root, 'scripts', 'gen-validators.mjs')])
// The CLI's type check reads the emulator's declarations, which only tsc writes; its JavaScript is esbuild's either way.
if (typecheck) await step(bin('tsc'), ['-b', emulator])
await emit(emulator)
const checked = typecheck ? step(bin('tsc'), ['-p', root, '--noEmit']) : Promise.resolve()
await emit(root)
await step(process.execPath, [join(root, 'scripts', 'gen-embedded.mjs')])
await step(bin('oclif'), ['manifest'])
await step(process.execPath, [join(root, 'scripts', 'bundle.mjs')])
await checked
