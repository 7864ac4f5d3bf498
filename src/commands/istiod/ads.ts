import {BaseCommand} from '../../lib/cli/base-command.js'
import {istiodFlags, readIstiodJson} from '../../lib/mesh/istiod-cli.js'

export default class IstiodAds extends BaseCommand {
  static summary = 'Proxies connected to istiod, with pod, Istio version and the sync state per xDS type (as istioctl proxy-status)'
  static description = `aerakictl.sh's _istiod_ads, as a table: GET :15014/debug/adsz (connections) and /debug/syncz (sent and acknowledged nonces per type) of the first running istiod, by port-forward, else exec "pilot-discovery request GET", else exec curl. Per type: SYNCED when the last push was acknowledged, STALE when not, NOT SENT when nothing was pushed (istioctl's rule).`

  static exitCodes = {0: 'shown', 4: 'the cluster or istiod could not be read'}

  static examples = ['<%= config.bin %> istiod ads', '<%= config.bin %> istiod ads -o json']
  static flags = istiodFlags

  async run(): Promise<unknown[]> {
    const {flags} = await this.parse(IstiodAds)
    const [{adsRows, XDS_TYPES}, {renderTextTable}, {defaultOutput}] = await Promise.all([import('../../lib/mesh/istiod.js'), import('../../lib/dump/render/text-table.js'), import('../../lib/render/default-output.js')])
    const note = (l: string) => this.note(l)
    const adsz = await readIstiodJson(flags, 'adsz', note)
    const syncz = await readIstiodJson(flags, 'syncz', () => {})
    const rows = adsRows(adsz, syncz)
    const types = XDS_TYPES.map(([t]) => t)
    await this.print(flags.output ?? defaultOutput(process.stdout), rows, () => renderTextTable(
      [{header: 'NAME'}, ...types.map((t) => ({header: t})), {header: 'VERSION'}, {header: 'CONNECTED'}],
      rows.map((r) => [`${r.pod}.${r.namespace}`, ...types.map((t) => r.status[t]), r.version, r.connectedAt]),
    ))
    return rows
  }
}
