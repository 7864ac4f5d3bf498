#!/usr/bin/env node
// Build step: parses the demo manifests once (with the project's own parser, after the emit) into
// dist/lib/demo/embedded.json, with the YAML inside their ConfigMaps, so `route dry-run` on the embedded world
// needs no YAML parsing at run time.
import {writeFileSync} from 'node:fs'
import {relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseDemoManifests} from '../dist/lib/demo/world.js'
import {yamlDataOf} from '../dist/lib/routing/world.js'
import {load} from 'js-yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const loaded = await parseDemoManifests()
const plain = loaded.map(l => ({obj: l.obj, source: {file: relative(root, l.source.file), doc: l.source.doc, line: l.source.line, column: l.source.column}}))
// The ConfigMaps' YAML data parsed too (the rate limit config): the run then needs no YAML parser at all.
const parsedYaml = loaded.flatMap(yamlDataOf).map(([, text]) => {
  try {
    return [text, load(text)]
  } catch {
    return undefined
  }
}).filter(Boolean)
writeFileSync(new URL('../dist/lib/demo/embedded.json', import.meta.url), JSON.stringify({objects: plain, parsedYaml}))
console.error(`embedded ${plain.length} demo objects`)
