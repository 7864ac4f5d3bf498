import type {TemplateDefinition} from '../templates/catalog.js'
import type {RenderedTemplate} from '../templates/render.js'
import {padEnd, palette} from './style.js'

export function renderTemplateList(list: TemplateDefinition[], color: boolean): string {
  const c = palette(color)
  const width = Math.max(...list.map(t => t.name.length))
  return `${list.map(t => `${c.bold(padEnd(t.name, width))}  ${t.description}`).join('\n')}\n`
}

export function renderTemplateShow(t: TemplateDefinition, r: RenderedTemplate, yamlText: string, color: boolean): string {
  const c = palette(color)
  const out = [`${c.bold(t.name)}: ${t.description}`, '', c.bold('Parameters') + c.dim(' (set with --set KEY=VALUE; defaults shown for this namespace)')]
  const width = Math.max(...t.parameters.map(p => p.name.length))
  for (const p of t.parameters) {
    const type = p.type === 'string' ? '' : c.dim(` <${p.type}>`)
    out.push(`  ${padEnd(p.name, width)}  ${p.description}${type}  ${c.cyan(`= ${r.values[p.name]}`)}`)
  }
  const ns = Object.keys(t.profiles)
  if (ns.length) out.push('', c.dim(`Profiles (defaults per namespace): ${ns.join(', ')}`))
  out.push('', c.bold('Rendered'), yamlText.trimEnd())
  return `${out.join('\n')}\n`
}
