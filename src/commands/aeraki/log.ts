import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {logFlags, runLogCli} from '../../lib/mesh/log-cli.js'
import {AERAKI} from '../../lib/mesh/targets.js'

export default class AerakiLog extends BaseCommand {
  static summary = "Tail Aeraki's log (every replica), as app-log does"
  static description = `aerakictl.sh's _aeraki_log (and mesh_operator_log): the pods matching --app in -n (istio-system by default), -f to follow, --tail, --since; --dump writes a timestamped file instead of stdout.

Exit codes: 0 done (or Ctrl-C); 1 cluster errors (RBAC, no aeraki pod); 2 bad flags.`

  static examples = ['<%= config.bin %> aeraki log --tail 20', '<%= config.bin %> aeraki log -f', '<%= config.bin %> aeraki log --dump']
  static flags = {...logFlags, app: Flags.string({summary: "Pod-name match of Aeraki's pods", default: AERAKI.app}), container: Flags.string({char: 'c', summary: 'Container', default: AERAKI.logContainer})}

  async run(): Promise<void> {
    const {flags} = await this.parse(AerakiLog)
    process.exitCode = await runLogCli(flags, {app: flags.app, namespace: flags.namespace ?? AERAKI.namespace, container: flags.container})
  }
}
