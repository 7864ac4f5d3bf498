import {BaseCommand} from '../../lib/cli/base-command.js'
import {outputFlag} from '../../lib/cli/output.js'
import {listTemplates} from '../../lib/templates/catalog.js'

export default class TemplatesList extends BaseCommand {
  static summary = 'List the built-in MetaRouter and DestinationRule templates'
  static examples = ['<%= config.bin %> templates list', '<%= config.bin %> templates list -o yaml']
  static flags = {output: outputFlag()}

  async run(): Promise<Array<{name: string; description: string; parameters: string[]}>> {
    const {flags} = await this.parse(TemplatesList)
    const list = await listTemplates()
    const summary = list.map(t => ({name: t.name, description: t.description, parameters: t.parameters.map(p => p.name)}))
    await this.print(flags.output, summary, {table: async color => (await import('../../lib/render/templates-text.js')).renderTemplateList(list, color)})
    return summary
  }
}
