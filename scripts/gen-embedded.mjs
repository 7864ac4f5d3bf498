#!/usr/bin/env node
// Build step: parses the demo manifests once (with the project's own parser, after tsc) into
// dist/lib/demo/embedded.json, so `route dry-run` on the embedded world needs no YAML parsing at run time.
import {writeFileSync} from 'node:fs'
import {relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseDemoManifests} from '../dist/lib/demo/world.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const loaded = await parseDemoManifests()
const plain = loaded.map(l => ({obj: l.obj, source: {file: relative(root, l.source.file), doc: l.source.doc, line: l.source.line, column: l.source.column}}))
writeFileSync(new URL('../dist/lib/demo/embedded.json', import.meta.url), JSON.stringify(plain))
console.error(`embedded ${plain.length} demo objects`)
