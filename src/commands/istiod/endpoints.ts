import {BaseCommand} from '../../lib/cli/base-command.js'
import {istiodFlags, readIstiodJson} from '../../lib/mesh/istiod-cli.js'

export default class IstiodEndpoints extends BaseCommand {
  static summary = 'The endpoints istiod knows for each service port (endpointz)'
  static description = `aerakictl.sh's _istiod_endpoint, as a table: GET :15014/debug/endpointz of the first running istiod (in -n, default istio-system), by port-forward, else exec "pilot-discovery request GET", else exec curl; stderr names the pod and the way. -o json|yaml prints the rows; "istiod debug endpointz" prints istiod's own answer.`

  static exitCodes = {0: 'shown', 4: 'the cluster or istiod could not be read'}

  static examples = ['<%= config.bin %> istiod endpoints', '<%= config.bin %> istiod endpoints -o json']
  static flags = istiodFlags

  async run(): Promise<unknown[]> {
    const {flags} = await this.parse(IstiodEndpoints)
    const [{endpointRows}, {renderTextTable}, {defaultOutput}] = await Promise.all([import('../../lib/mesh/istiod.js'), import('../../lib/dump/render/text-table.js'), import('../../lib/render/default-output.js')])
    const rows = endpointRows(await readIstiodJson(flags, 'endpointz', (l) => this.note(l)))
    await this.print(flags.output ?? defaultOutput(process.stdout), rows, () => renderTextTable([{header: 'SERVICE'}, {header: 'PORT'}, {header: 'ENDPOINT'}, {header: 'LABELS'}], rows.map((r) => [r.service, r.port, r.endpoint, r.labels])))
    return rows
  }
}
