// Label and field selectors with the API server's syntax.
import type {KubeObject} from './types.js'

type Requirement =
  | {key: string; op: 'in' | 'notin'; values: string[]}
  | {key: string; op: 'exists' | '!exists'}

export class SelectorError extends Error {}

/** Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = []
  const parts: string[] = []
  let depth = 0, cur = ''
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) { parts.push(cur); cur = '' } else cur += ch
  }
  if (cur.trim()) parts.push(cur)
  for (const raw of parts) {
    const p = raw.trim()
    if (!p) continue
    let m: RegExpMatchArray | null
    if ((m = p.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      reqs.push({key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()).filter(Boolean)})
    } else if ((m = p.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/))) {
      reqs.push({key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]]})
    } else if ((m = p.match(/^!\s*([\w./-]+)$/))) {
      reqs.push({key: m[1], op: '!exists'})
    } else if ((m = p.match(/^([\w./-]+)$/))) {
      reqs.push({key: m[1], op: 'exists'})
    } else {
      throw new SelectorError(`unable to parse requirement: ${JSON.stringify(p)}`)
    }
  }
  return reqs
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {}
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key)
    switch (r.op) {
      case 'exists': return has
      case '!exists': return !has
      case 'in': return has && r.values.includes(l[r.key])
      case 'notin': return !has || !r.values.includes(l[r.key])
    }
  })
}

/** Equality-based selector from a map (as in Service.spec.selector or matchLabels). */
export function matchesMap(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v)
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: any = obj
  for (const seg of path.split('.')) cur = cur?.[seg]
  return cur === undefined || cur === null ? '' : String(cur)
}

/** Field selectors: `metadata.name=x,status.phase!=Running`. Any dotted path is allowed. */
export function parseFieldSelector(text: string): (obj: KubeObject) => boolean {
  const tests: Array<(o: KubeObject) => boolean> = []
  for (const raw of text.split(',')) {
    const p = raw.trim()
    if (!p) continue
    const m = p.match(/^([\w.]+)\s*(==|=|!=)\s*(.*)$/)
    if (!m) throw new SelectorError(`invalid selector: '${p}'; can't understand '${p}'`)
    const [, path, op, value] = m
    tests.push(op === '!=' ? (o) => fieldValue(o, path) !== value : (o) => fieldValue(o, path) === value)
  }
  return (o) => tests.every((t) => t(o))
}
