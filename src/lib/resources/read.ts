// Reads manifests from files, folders (recursively, *.yaml|*.yml|*.json) and `-` (stdin).
import {readFile, readdir, stat} from 'node:fs/promises'
import {join, extname} from 'node:path'
import {InputError} from './errors.js'
import {parseManifests} from './parse.js'
import type {Loaded} from './types.js'

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

export async function readManifests(paths: string[], stdin: () => Promise<string> = readStdin): Promise<Loaded[]> {
  const out: Loaded[] = []
  for (const p of paths) {
    if (p === '-') {
      out.push(...parseManifests(await stdin(), '<stdin>'))
      continue
    }
    for (const file of await expand(p)) out.push(...parseManifests(await readFile(file, 'utf8'), file))
  }
  return out
}

async function expand(path: string): Promise<string[]> {
  let info
  try {
    info = await stat(path)
  } catch {
    throw new InputError(`no such file or directory: ${path}`)
  }
  if (info.isFile()) return [path]
  if (!info.isDirectory()) throw new InputError(`not a file or directory: ${path}`)
  const entries = (await readdir(path, {withFileTypes: true})).sort((a, b) => a.name.localeCompare(b.name))
  const files: string[] = []
  for (const e of entries) {
    const full = join(path, e.name)
    if (e.isDirectory()) files.push(...(await expand(full)))
    else if (MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) files.push(full)
  }
  if (files.length === 0) throw new InputError(`no .yaml, .yml or .json files in ${path}`)
  return files
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
