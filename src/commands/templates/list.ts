import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {listTemplates} from '../../lib/templates/catalog.js'

export default class TemplatesList extends BaseCommand {
  static summary = 'List the built-in MetaRouter and DestinationRule templates'
  static enableJsonFlag = true
  static flags = {
    output: Flags.string({char: 'o', summary: 'Output format', options: ['text', 'json'], default: 'text'}),
  }

  async run(): Promise<Array<{name: string; description: string; parameters: string[]}>> {
    const {flags} = await this.parse(TemplatesList)
    const list = await listTemplates()
    const summary = list.map(t => ({name: t.name, description: t.description, parameters: t.parameters.map(p => p.name)}))
    await this.print(flags.output, summary, async color => (await import('../../lib/render/templates-text.js')).renderTemplateList(list, color))
    return summary
  }
}
