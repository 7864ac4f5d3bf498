import {BaseCommand} from '../../lib/cli/base-command.js'
import {istiodFlags, readIstiodJson} from '../../lib/mesh/istiod-cli.js'

export default class IstiodInstances extends BaseCommand {
  static summary = 'Service instances per connected proxy (instancesz)'
  static description = `aerakictl.sh's _istiod_instances, as a table: GET :15014/debug/instancesz of the first running istiod (in -n, default istio-system), by port-forward, else exec "pilot-discovery request GET", else exec curl; stderr names the pod and the way. -o json|yaml prints the rows; "istiod debug instancesz" prints istiod's own answer.`

  static exitCodes = {0: 'shown', 4: 'the cluster or istiod could not be read'}

  static examples = ['<%= config.bin %> istiod instances', '<%= config.bin %> istiod instances -o json']
  static flags = istiodFlags

  async run(): Promise<unknown[]> {
    const {flags} = await this.parse(IstiodInstances)
    const [{instanceRows}, {renderTextTable}, {defaultOutput}] = await Promise.all([import('../../lib/mesh/istiod.js'), import('../../lib/dump/render/text-table.js'), import('../../lib/render/default-output.js')])
    const rows = instanceRows(await readIstiodJson(flags, 'instancesz', (l) => this.note(l)))
    await this.print(flags.output ?? defaultOutput(process.stdout), rows, () => renderTextTable([{header: 'PROXY'}, {header: 'SERVICE'}, {header: 'PORT'}, {header: 'ENDPOINT'}], rows.map((r) => [r.proxy, r.service, r.port, r.endpoint])))
    return rows
  }
}
