import {BaseCommand} from '../../lib/cli/base-command.js'
import {istiodFlags, readIstiodJson} from '../../lib/mesh/istiod-cli.js'

export default class IstiodRegistry extends BaseCommand {
  static summary = "istiod's service registry: services, addresses and ports (registryz)"
  static description = `aerakictl.sh's _istiod_registry, as a table: GET :15014/debug/registryz of the first running istiod (in -n, default istio-system), by port-forward, else exec "pilot-discovery request GET", else exec curl; stderr names the pod and the way. -o json|yaml prints the rows; "istiod debug registryz" prints istiod's own answer.`

  static exitCodes = {0: 'shown', 4: 'the cluster or istiod could not be read'}

  static examples = ['<%= config.bin %> istiod registry', '<%= config.bin %> istiod registry -o json']
  static flags = istiodFlags

  async run(): Promise<unknown[]> {
    const {flags} = await this.parse(IstiodRegistry)
    const [{registryRows}, {renderTextTable}, {defaultOutput}] = await Promise.all([import('../../lib/mesh/istiod.js'), import('../../lib/dump/render/text-table.js'), import('../../lib/render/default-output.js')])
    const rows = registryRows(await readIstiodJson(flags, 'registryz', (l) => this.note(l)))
    await this.print(flags.output ?? defaultOutput(process.stdout), rows, () => renderTextTable([{header: 'HOSTNAME'}, {header: 'NAMESPACE'}, {header: 'REGISTRY'}, {header: 'ADDRESS'}, {header: 'PORTS'}], rows.map((r) => [r.hostname, r.namespace, r.registry, r.address, r.ports])))
    return rows
  }
}
