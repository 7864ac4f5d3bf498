import * as Flags from '@oclif/core/flags'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {LOG_EXIT_CODES, logFlags, runLogCli, type LogResult} from '../../lib/mesh/log-cli.js'
import {ISTIOD} from '../../lib/mesh/targets.js'

export default class IstiodLog extends BaseCommand {
  static summary = "Tail istiod's log (container discovery, every replica), as app-log does"
  static description = `aerakictl.sh's _istiod_log and _istiod_log_dump: the pods matching --app in -n (istio-system by default), -f to follow, --tail, --since; --dump writes a timestamped file instead of stdout.`

  static exitCodes = LOG_EXIT_CODES

  static examples = ['<%= config.bin %> istiod log --tail 20', '<%= config.bin %> istiod log -f', '<%= config.bin %> istiod log --dump']
  static flags = {...logFlags, app: Flags.string({summary: "Pod-name match of istiod's pods", default: ISTIOD.app}), container: Flags.string({char: 'c', summary: 'Container', default: ISTIOD.logContainer})}

  async run(): Promise<LogResult> {
    const {flags} = await this.parse(IstiodLog)
    const r = await runLogCli(flags, {app: flags.app, namespace: flags.namespace ?? ISTIOD.namespace, container: flags.container}, this.jsonEnabled())
    return this.done(r.result, r.exitCode as ExitCode)
  }
}
