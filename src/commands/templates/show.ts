import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {loadTemplate} from '../../lib/templates/catalog.js'
import {renderTemplate} from '../../lib/templates/render.js'
import {parseKeyValue} from '../../lib/dryrun/run.js'

export default class TemplatesShow extends BaseCommand {
  static summary = 'Show a template\'s parameters and the YAML it renders'
  static examples = ['<%= config.bin %> templates show traffic-split', '<%= config.bin %> templates show traffic-split -n meta-dubbo --set weights=v1:50,v2:50']
  static enableJsonFlag = true
  static args = {name: Args.string({description: 'Template name (see `aerakictl templates list`)', required: true, ignoreStdin: true})}
  static flags = {
    namespace: Flags.string({char: 'n', summary: 'Namespace to render for (its profile supplies defaults)'}),
    set: Flags.string({summary: 'Template parameter KEY=VALUE', multiple: true}),
    output: Flags.string({char: 'o', summary: 'Output format: text (parameters and YAML) or yaml (only the manifests)', options: ['text', 'yaml'], default: 'text'}),
  }

  async run(): Promise<{name: string; values: Record<string, string>; objects: unknown[]}> {
    const {args, flags} = await this.parse(TemplatesShow)
    const def = await loadTemplate(args.name)
    const set = Object.fromEntries((flags.set ?? []).map(s => parseKeyValue(s, '--set')))
    if (flags.namespace) set.namespace = flags.namespace
    const rendered = renderTemplate(def, set)
    const {dump} = await import('js-yaml')
    const yamlText = rendered.objects.map(o => dump(o, {noRefs: true, lineWidth: 120})).join('---\n')
    if (!this.jsonEnabled()) {
      if (flags.output === 'yaml') this.out(yamlText)
      else {
        const [{renderTemplateShow}, {wantsColor}] = await Promise.all([import('../../lib/render/templates-text.js'), import('../../lib/render/style.js')])
        this.out(renderTemplateShow(def, rendered, yamlText, wantsColor(process.stdout)))
      }
    }
    return {name: def.name, values: rendered.values, objects: rendered.objects}
  }
}
