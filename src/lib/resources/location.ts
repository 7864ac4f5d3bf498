// Kept apart from parse.ts so that code which only reports locations does not load the YAML parser.
import type {SourceRef} from './types.js'

/** Parses a JSON-path-like string (`spec.routes[1].route[0].weight`) into segments for `locate`. */
export function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = []
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part)
    if (!m) {
      out.push(part)
      continue
    }
    if (m[1]) out.push(m[1])
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]))
  }
  return out
}

export function locationOf(source: SourceRef | undefined, path?: string): string | undefined {
  if (!source) return undefined
  const pos = path && source.locate ? source.locate(pathSegments(path)) : undefined
  return `${source.file}:${pos?.line ?? source.line}:${pos?.column ?? source.column}`
}
