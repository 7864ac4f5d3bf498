import {BaseCommand} from '../lib/cli/base-command.js'
import {outputFlag} from '../lib/cli/output.js'

export interface VersionResult {
  name: string
  version: string
  node: string
  platform: string
  arch: string
}

export default class Version extends BaseCommand {
  static summary = 'Print the version of aerakictl (the same line as --version)'
  static examples = ['<%= config.bin %> version', '<%= config.bin %> version --json']
  static flags = {output: outputFlag()}

  async run(): Promise<VersionResult> {
    const {flags} = await this.parse(Version)
    const result: VersionResult = {name: this.config.name, version: this.config.version, node: process.version, platform: process.platform, arch: process.arch}
    await this.print(flags.output, result, {table: () => `${this.config.userAgent}\n`})
    return result
  }
}
