import {BaseCommand} from '../../lib/cli/base-command.js'
import {istiodFlags, readIstiodJson} from '../../lib/mesh/istiod-cli.js'

export default class IstiodConfig extends BaseCommand {
  static summary = 'The Istio and Aeraki config objects istiod holds (configz)'
  static description = `aerakictl.sh's _istiod_config, as a table: GET :15014/debug/configz of the first running istiod (in -n, default istio-system), by port-forward, else exec "pilot-discovery request GET", else exec curl; stderr names the pod and the way. -o json|yaml prints the rows; "istiod debug configz" prints istiod's own answer.`

  static exitCodes = {0: 'shown', 4: 'the cluster or istiod could not be read'}

  static examples = ['<%= config.bin %> istiod config', '<%= config.bin %> istiod config -o json']
  static flags = istiodFlags

  async run(): Promise<unknown[]> {
    const {flags} = await this.parse(IstiodConfig)
    const [{configRows}, {renderTextTable}, {defaultOutput}] = await Promise.all([import('../../lib/mesh/istiod.js'), import('../../lib/dump/render/text-table.js'), import('../../lib/render/default-output.js')])
    const rows = configRows(await readIstiodJson(flags, 'configz', (l) => this.note(l)))
    await this.print(flags.output ?? defaultOutput(process.stdout), rows, () => renderTextTable([{header: 'KIND'}, {header: 'NAMESPACE'}, {header: 'NAME'}, {header: 'RESOURCE VERSION'}], rows.map((r) => [r.kind, r.namespace, r.name, r.resourceVersion])))
    return rows
  }
}
