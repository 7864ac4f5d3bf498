import {locationOf} from '../resources/location.js'
import {resourceName} from '../resources/kinds.js'
import type {Finding, Loaded, Severity} from '../resources/types.js'

/** Collects findings about one object, filling in the resource name and source location of each path. */
export class FindingSink {
  readonly findings: Finding[] = []
  constructor(private readonly loaded?: Loaded) {}

  add(code: string, severity: Severity, message: string, path?: string): void {
    const f: Finding = {code, severity, message}
    if (path) f.path = path
    if (this.loaded) {
      f.resource = resourceName(this.loaded.obj)
      const loc = locationOf(this.loaded.source, path)
      if (loc) f.location = loc
    }
    this.findings.push(f)
  }
}

export function hasErrors(findings: ReadonlyArray<Finding>): boolean {
  return findings.some(f => f.severity === 'error')
}

/** Drops repeats: the same code, object, place and message (checks can meet the same problem twice). */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>()
  return findings.filter(f => {
    const k = `${f.code}|${f.resource ?? ''}|${f.location ?? ''}|${f.path ?? ''}|${f.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

const ORDER: Record<Severity, number> = {error: 0, warning: 1, info: 2}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity])
}
