import * as Flags from '@oclif/core/flags'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {LOG_EXIT_CODES, logFlags, runLogCli, type LogResult} from '../../lib/mesh/log-cli.js'
import {AERAKI} from '../../lib/mesh/targets.js'

export default class AerakiLog extends BaseCommand {
  static summary = "Tail Aeraki's log (every replica), as app-log does"
  static description = `aerakictl.sh's _aeraki_log (and mesh_operator_log): the pods matching --app in -n (istio-system by default), -f to follow, --tail, --since; --dump writes a timestamped file instead of stdout.`

  static exitCodes = LOG_EXIT_CODES

  static examples = ['<%= config.bin %> aeraki log --tail 20', '<%= config.bin %> aeraki log -f', '<%= config.bin %> aeraki log --dump']
  static flags = {...logFlags, app: Flags.string({summary: "Pod-name match of Aeraki's pods", default: AERAKI.app}), container: Flags.string({char: 'c', summary: 'Container', default: AERAKI.logContainer})}

  async run(): Promise<LogResult> {
    const {flags} = await this.parse(AerakiLog)
    const r = await runLogCli(flags, {app: flags.app, namespace: flags.namespace ?? AERAKI.namespace, container: flags.container}, this.jsonEnabled())
    return this.done(r.result, r.exitCode as ExitCode)
  }
}
