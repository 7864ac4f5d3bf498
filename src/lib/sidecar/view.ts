// What `sidecar-config` shows: the chosen sections, secrets redacted (unless asked not to), optionally a
// JSONPath. Redaction works section element by section element and replaces them in place, so a 50 MB dump
// is never held twice (redactSecrets copies whatever it is given).
import {JSONPath} from 'jsonpath-plus'
import {redactSecrets, selectSections, type ConfigDump, type DumpSection} from '../dump/index.js'
import {InputError} from '../resources/errors.js'

type Json = Record<string, unknown>

/** Lists in a section whose elements can be redacted one by one: their own names are never secret. */
const ELEMENT_LIST = /^(static|dynamic|inline)_?[A-Za-z_]*$/

function redactValue<T>(key: string, value: T): {value: T; count: number} {
  // Wrapped in its key, so name-based rules (`private_key: …`) still see the field name.
  const r = redactSecrets({[key]: value})
  return {value: r.dump[key] as T, count: r.redactedCount}
}

/** Redacts every secret of the dump in place; returns how many were replaced. */
export function redactDumpInPlace(dump: ConfigDump): number {
  let count = 0
  for (let i = 0; i < dump.configs.length; i++) {
    const section = dump.configs[i]
    if (typeof section !== 'object' || section === null) continue
    const obj = section as Json
    for (const key of Object.keys(obj)) {
      const value = obj[key]
      if (Array.isArray(value) && ELEMENT_LIST.test(key)) {
        for (let j = 0; j < value.length; j++) {
          const r = redactSecrets(value[j])
          value[j] = r.dump
          count += r.redactedCount
        }
      } else if (typeof value === 'object' && value !== null) {
        const r = redactValue(key, value)
        obj[key] = r.value
        count += r.count
      } else if (typeof value === 'string') {
        const r = redactValue(key, value)
        obj[key] = r.value
        count += r.count
      }
    }
  }
  return count
}

export interface SidecarView {
  dump: ConfigDump
  redacted: number
}

export function sidecarView(dump: ConfigDump, section: DumpSection, showSecrets: boolean): SidecarView {
  const selected = selectSections(dump, section)
  return {dump: selected, redacted: showSecrets ? 0 : redactDumpInPlace(selected)}
}

/**
 * jsonpath-plus reads a quoted key starting with @ (every dump's `["@type"]`) as a type selector like @string(),
 * except inside filter scripts. Outside them its backtick escape makes it the literal key users mean.
 */
export function escapeAtKeys(expression: string): string {
  let out = ''
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i]
    if (quote) {
      if (ch === quote && expression[i - 1] !== '\\') quote = undefined
    } else if (depth > 0 && (ch === '"' || ch === "'")) quote = ch
    else if (ch === '(') depth++
    else if (ch === ')') depth = Math.max(0, depth - 1)
    else if (depth === 0 && ch === '[') {
      const m = /^\[(['"])@([^'"\]]*)\1\]/.exec(expression.slice(i))
      if (m) {
        out += `[\`@${m[2]}]`
        i += m[0].length - 1
        continue
      }
    }
    out += ch
  }
  return out
}

/** JSONPath results (always a list, as `kubectl -o jsonpath` flattens them); a bad expression is bad input. */
export function applyJsonPath(value: unknown, expression: string): unknown[] {
  const problem = jsonPathSyntaxProblem(expression)
  if (problem) throw new InputError(`not a valid JSONPath: ${problem}`, '--jsonpath')
  const escaped = escapeAtKeys(expression)
  const path = escaped.startsWith('$') ? escaped : escaped.startsWith('.') || escaped.startsWith('[') ? `$${escaped}` : `$.${escaped}`
  try {
    return JSONPath({path, json: value as object, wrap: true, eval: 'safe'}) as unknown[]
  } catch (e) {
    throw new InputError(`not a valid JSONPath: ${(e as Error).message}`, '--jsonpath')
  }
}

/**
 * What jsonpath-plus lets through but is not a path: unbalanced brackets, parentheses or quotes, or a path that
 * ends in `.`, `..` or `[` (`$..[` would otherwise print the whole dump).
 */
export function jsonPathSyntaxProblem(expression: string): string | undefined {
  if (expression.trim() === '') return 'empty expression'
  const open: string[] = []
  let quote: string | undefined
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i]
    if (quote) {
      if (ch === '\\') i++
      else if (ch === quote) quote = undefined
      continue
    }
    if (ch === '`') i++ // jsonpath-plus: the next character is literal
    else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '[' || ch === '(') open.push(ch)
    else if (ch === ']' || ch === ')') {
      const want = ch === ']' ? '[' : '('
      if (open.pop() !== want) return `unmatched "${ch}" at character ${i + 1}`
    }
  }
  if (quote) return 'unterminated quoted name'
  if (open.length > 0) return `unclosed "${open[open.length - 1]}"`
  if (/(^|[^.])\.$/.test(expression.trim()) || /\.\.$/.test(expression.trim())) return 'ends after a "." with no name'
  return undefined
}
