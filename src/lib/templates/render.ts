// Renders a template: parameters come from --set, then the namespace's profile, then defaults; `{{name}}` is replaced
// structurally (a whole-string placeholder takes the parameter's type, e.g. a weights list or a number).
import {InputError} from '../resources/errors.js'
import type {KubeObject} from '../resources/types.js'
import type {TemplateDefinition, TemplateParameter} from './catalog.js'

export interface RenderedTemplate {
  name: string
  values: Record<string, string>
  objects: KubeObject[]
  request: Array<[string, string]>
}

const WHOLE = /^\{\{\s*([A-Za-z][\w]*)\s*\}\}$/
const INLINE = /\{\{\s*([A-Za-z][\w]*)\s*\}\}/g

export function renderTemplate(t: TemplateDefinition, set: Record<string, string>, namespaceHint?: string): RenderedTemplate {
  for (const key of Object.keys(set)) {
    if (!t.parameters.some(p => p.name === key)) {
      throw new InputError(`template ${t.name} has no parameter "${key}"; parameters: ${t.parameters.map(p => p.name).join(', ')}`, '--set')
    }
  }
  const namespace = set.namespace ?? namespaceHint ?? t.parameters.find(p => p.name === 'namespace')?.default ?? 'default'
  const profile = t.profiles[namespace] ?? {}
  const raw: Record<string, string> = {}
  for (const p of t.parameters) {
    const v = p.name === 'namespace' ? namespace : (set[p.name] ?? profile[p.name] ?? p.default)
    if (v === undefined) {
      throw new InputError(`template ${t.name} needs --set ${p.name}=… (${p.description}); no default for namespace ${namespace}`, '--set')
    }
    raw[p.name] = v
  }
  // Defaults may refer to other parameters ("{{service}}-route"); resolve a few levels deep.
  const values: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) values[k] = interpolate(v, raw, 5)
  const typed = Object.fromEntries(t.parameters.map(p => [p.name, typedValue(p, values[p.name], values)]))
  const objects = t.manifests.map(m => substitute(m, values, typed)) as KubeObject[]
  const request = Object.entries(t.request).map(([k, v]) => [k, interpolate(String(v), values, 1)] as [string, string])
  return {name: t.name, values, objects, request}
}

function interpolate(s: string, values: Record<string, string>, depth: number): string {
  let out = s
  for (let i = 0; i < depth && INLINE.test(out); i++) {
    INLINE.lastIndex = 0
    out = out.replace(INLINE, (_, k: string) => {
      if (!(k in values)) throw new InputError(`template refers to unknown parameter {{${k}}}`)
      return values[k]
    })
  }
  INLINE.lastIndex = 0
  return out
}

function typedValue(p: TemplateParameter, v: string, values: Record<string, string>): unknown {
  switch (p.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(v.trim())) throw new InputError(`${p.name} must be a whole number, got "${v}"`, `--set ${p.name}`)
      return Number(v)
    }
    case 'number': {
      const n = Number(v)
      if (v.trim() === '' || !Number.isFinite(n)) throw new InputError(`${p.name} must be a number, got "${v}"`, `--set ${p.name}`)
      return n
    }
    case 'weights':
      return parseWeights(v, p.name).map(w => ({destination: {host: values.host, subset: w.subset}, weight: w.weight}))
    default:
      return v
  }
}

/** `v1:20,v2:80` -> [{subset: v1, weight: 20}, {subset: v2, weight: 80}] */
export function parseWeights(text: string, param = 'weights'): Array<{subset: string; weight: number}> {
  const items = text.split(',').map(s => s.trim()).filter(Boolean)
  if (items.length === 0) throw new InputError(`${param} is empty; expected subset:weight pairs such as v1:20,v2:80`, `--set ${param}`)
  return items.map(item => {
    const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?):(\d+)$/.exec(item)
    if (!m) throw new InputError(`"${item}" is not subset:weight (e.g. v1:20)`, `--set ${param}`)
    return {subset: m[1], weight: Number(m[3])}
  })
}

function substitute(node: unknown, values: Record<string, string>, typed: Record<string, unknown>): unknown {
  if (typeof node === 'string') {
    const whole = WHOLE.exec(node)
    if (whole) {
      if (!(whole[1] in typed)) throw new InputError(`template refers to unknown parameter {{${whole[1]}}}`)
      return structuredClone(typed[whole[1]])
    }
    return interpolate(node, values, 1)
  }
  if (Array.isArray(node)) return node.map(n => substitute(n, values, typed))
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substitute(v, values, typed)]))
  }
  return node
}
