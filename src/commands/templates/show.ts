import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {loadTemplate} from '../../lib/templates/catalog.js'
import {renderTemplate} from '../../lib/templates/render.js'
import {parseKeyValue} from '../../lib/dryrun/run.js'
import {outputFlag} from '../../lib/cli/output.js'

export default class TemplatesShow extends BaseCommand {
  static summary = 'Show a template\'s parameters and the YAML it renders'
  static description = '-o table shows the parameters and the YAML; -o yaml prints only the manifests (multi-document, ready for kubectl apply -f -) and -o json the same as a kubectl List; --json prints the name, the values used and the objects.'
  static examples = ['<%= config.bin %> templates show traffic-split', '<%= config.bin %> templates show traffic-split -n meta-dubbo --set weights=v1:50,v2:50', '<%= config.bin %> templates show method-route -o yaml']
  static args = {name: Args.string({description: 'Template name (see `aerakictl templates list`)', required: true, ignoreStdin: true})}
  static flags = {
    namespace: Flags.string({char: 'n', summary: 'Namespace to render for (its profile supplies defaults)'}),
    set: Flags.string({summary: 'Template parameter KEY=VALUE', multiple: true}),
    output: outputFlag({summary: 'table: parameters and YAML; yaml: only the manifests; json: the manifests as a List'}),
  }

  async run(): Promise<TemplateShowResult> {
    const {args, flags} = await this.parse(TemplatesShow)
    const def = await loadTemplate(args.name)
    const set = Object.fromEntries((flags.set ?? []).map(s => parseKeyValue(s, '--set')))
    if (flags.namespace) set.namespace = flags.namespace
    const rendered = renderTemplate(def, set)
    const {manifestsYaml, manifestList} = await import('../../lib/render/manifests.js')
    await this.print(flags.output, manifestList(rendered.objects), {
      yaml: () => manifestsYaml(rendered.objects),
      table: async color => (await import('../../lib/render/templates-text.js')).renderTemplateShow(def, rendered, manifestsYaml(rendered.objects), color),
    })
    return {name: def.name, values: rendered.values, objects: rendered.objects}
  }
}

export interface TemplateShowResult {
  name: string
  values: Record<string, string>
  objects: unknown[]
}
