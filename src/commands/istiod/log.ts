import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {logFlags, runLogCli} from '../../lib/mesh/log-cli.js'
import {ISTIOD} from '../../lib/mesh/targets.js'

export default class IstiodLog extends BaseCommand {
  static summary = "Tail istiod's log (container discovery, every replica), as app-log does"
  static description = `aerakictl.sh's _istiod_log and _istiod_log_dump: the pods matching --app in -n (istio-system by default), -f to follow, --tail, --since; --dump writes a timestamped file instead of stdout.

Exit codes: 0 done (or Ctrl-C); 1 cluster errors (RBAC, no istiod pod); 2 bad flags.`

  static examples = ['<%= config.bin %> istiod log --tail 20', '<%= config.bin %> istiod log -f', '<%= config.bin %> istiod log --dump']
  static flags = {...logFlags, app: Flags.string({summary: "Pod-name match of istiod's pods", default: ISTIOD.app}), container: Flags.string({char: 'c', summary: 'Container', default: ISTIOD.logContainer})}

  async run(): Promise<void> {
    const {flags} = await this.parse(IstiodLog)
    process.exitCode = await runLogCli(flags, {app: flags.app, namespace: flags.namespace ?? ISTIOD.namespace, container: flags.container})
  }
}
