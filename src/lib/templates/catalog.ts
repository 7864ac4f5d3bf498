// The MetaRouter (and DestinationRule) templates shipped in templates/metarouter, and the demo manifests in
// templates/demo. Paths resolve from this module, so they work from src/ (tests) and dist/ (installed).
import {readFile, readdir} from 'node:fs/promises'
import {load} from 'js-yaml'
import {InputError} from '../resources/errors.js'

import {METAROUTER_TEMPLATES_DIR} from './paths.js'
export {DEMO_DIR, METAROUTER_TEMPLATES_DIR, PACKAGE_ROOT, TEMPLATES_DIR} from './paths.js'

export interface TemplateParameter {
  name: string
  description: string
  type: 'string' | 'integer' | 'number' | 'weights'
  default?: string
}

export interface TemplateDefinition {
  name: string
  description: string
  parameters: TemplateParameter[]
  /** Per-namespace parameter defaults (the demo namespaces). */
  profiles: Record<string, Record<string, string>>
  /** Attributes of the request the template is about, predicted after rendering. */
  request: Record<string, string>
  manifests: unknown[]
  file: string
}

export async function listTemplates(): Promise<TemplateDefinition[]> {
  const files = (await readdir(METAROUTER_TEMPLATES_DIR)).filter(f => f.endsWith('.yaml')).sort()
  return Promise.all(files.map(f => loadTemplateFile(`${METAROUTER_TEMPLATES_DIR}${f}`)))
}

export async function loadTemplate(name: string): Promise<TemplateDefinition> {
  const all = await listTemplates()
  const t = all.find(x => x.name === name)
  if (!t) throw new InputError(`unknown template "${name}"; templates: ${all.map(x => x.name).join(', ')}`, '--template')
  return t
}

async function loadTemplateFile(file: string): Promise<TemplateDefinition> {
  const raw = load(await readFile(file, 'utf8')) as any
  const parameters: TemplateParameter[] = Object.entries(raw.parameters ?? {}).map(([name, p]: [string, any]) => ({
    name,
    description: String(p?.description ?? ''),
    type: p?.type ?? 'string',
    ...(p?.default !== undefined ? {default: String(p.default)} : {}),
  }))
  return {
    name: String(raw.name),
    description: String(raw.description ?? ''),
    parameters,
    profiles: raw.profiles ?? {},
    request: raw.request ?? {},
    manifests: Array.isArray(raw.manifests) ? raw.manifests : [],
    file,
  }
}
