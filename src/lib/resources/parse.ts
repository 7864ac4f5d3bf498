// Parses Kubernetes YAML/JSON text (multi-document, `kind: List`) and keeps source positions, so that every
// later finding can name the file, line and column of the field it is about.
import {LineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Node, type Document} from 'yaml'
import {InputError} from './errors.js'
import type {KubeObject, Loaded, SourceRef} from './types.js'
export {locationOf, pathSegments} from './location.js'

export function parseManifests(text: string, file: string): Loaded[] {
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, {lineCounter, uniqueKeys: true, prettyErrors: false})
  const out: Loaded[] = []
  const list = Array.isArray(docs) ? docs : [docs]
  list.forEach((doc, docIndex) => {
    const err = doc.errors[0]
    if (err) {
      const pos = lineCounter.linePos(err.pos[0])
      throw new InputError(yamlErrorMessage(err.code, err.message), `${file}:${pos.line}:${pos.col}`)
    }
    let value: unknown
    try {
      value = doc.toJS({maxAliasCount: 100}) as unknown
    } catch (e) {
      // yaml throws a ReferenceError for alias bombs ("Excessive alias count …") and for aliases to nothing.
      const pos = positionOf(doc.contents as Node | null, lineCounter)
      const why = /Excessive alias count/.test((e as Error).message) ? 'too many YAML aliases (more than 100 expansions: an alias bomb?)' : 'a YAML alias that cannot be resolved'
      throw new InputError(why, `${file}:${pos.line}:${pos.column}`)
    }
    if (value === null || value === undefined) return
    const root = doc.contents as Node | null
    const rootPos = positionOf(root, lineCounter)
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError('expected a Kubernetes object (a mapping with apiVersion and kind)', `${file}:${rootPos.line}:${rootPos.column}`)
    }
    const obj = value as KubeObject
    if (obj.kind === 'List' || (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items))) {
      const items = (obj.items as unknown[]) ?? []
      items.forEach((item, i) => {
        const node = doc.getIn(['items', i], true) as Node | undefined
        out.push(makeLoaded(item, file, docIndex, node ?? root, doc, lineCounter, ['items', i]))
      })
      return
    }
    out.push(makeLoaded(obj, file, docIndex, root, doc, lineCounter, []))
  })
  return out
}

function makeLoaded(item: unknown, file: string, docIndex: number, node: Node | null, doc: Document, lc: LineCounter, prefix: Array<string | number>): Loaded {
  const pos = positionOf(node, lc)
  const where = `${file}:${pos.line}:${pos.column}`
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new InputError('expected a Kubernetes object (a mapping with apiVersion and kind)', where)
  }
  const obj = item as KubeObject
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new InputError('object has no "kind"', where)
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') throw new InputError(`${obj.kind} has no "apiVersion"`, where)
  const source: SourceRef = {
    file,
    doc: docIndex,
    line: pos.line,
    column: pos.column,
    locate(path) {
      // Walk as deep as the path exists, so a missing leaf still points at its parent.
      for (let n = path.length; n >= 0; n--) {
        // Point at a mapping's key (`weight:`) rather than at its value, which may start on a later line.
        const last = path[n - 1]
        if (n > 0 && typeof last === 'string') {
          const parent = n === 1 && prefix.length === 0 ? doc.contents : (doc.getIn([...prefix, ...path.slice(0, n - 1)], true) as Node | undefined)
          if (parent && isMap(parent)) {
            const pair = parent.items.find(it => isScalar(it.key) && it.key.value === last)
            if (pair && isScalar(pair.key)) return positionOf(pair.key, lc)
          }
        }
        const target = doc.getIn([...prefix, ...path.slice(0, n)], true) as Node | undefined
        if (target && (isMap(target) || isSeq(target) || isScalar(target))) return positionOf(target, lc)
      }
      return undefined
    },
  }
  return {obj, source}
}

function positionOf(node: Node | null | undefined, lc: LineCounter): {line: number; column: number} {
  const offset = node?.range?.[0] ?? 0
  const p = lc.linePos(offset)
  return {line: p.line, column: p.col}
}

/**
 * The yaml package's message without the input it quotes (a code frame, an unknown tag's text: either may be part of
 * a secret); we print our own file:line:col.
 */
export function yamlErrorMessage(code: string, message: string): string {
  if (code === 'TAG_RESOLVE_FAILED') return 'unknown YAML tag (only the standard tags are read)'
  // The yaml parser records a stack overflow on deeply nested input as an error of the document.
  if (/Maximum call stack size exceeded/.test(message)) return 'the YAML nests too deeply to read (no Kubernetes object nests like this)'
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  // Messages that name a piece of the input put it after a colon or in quotes.
  return first.replace(/:\s.*$/, '').replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
}

