import * as Flags from '@oclif/core/flags'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {LOG_EXIT_CODES, logFlags, runLogCli, type LogResult} from '../../lib/mesh/log-cli.js'
import {INGRESS_GATEWAY} from '../../lib/mesh/targets.js'

export default class GatewayLog extends BaseCommand {
  static summary = "Tail the ingress gateway's Envoy log (container istio-proxy, every replica), as app-log does"
  static description = `aerakictl.sh's _gateway_log: the pods matching --app in -n (istio-system by default), -f to follow, --tail, --since; --dump writes a timestamped file instead of stdout.`

  static exitCodes = LOG_EXIT_CODES

  static examples = ['<%= config.bin %> gateway log --tail 20', '<%= config.bin %> gateway log -f', '<%= config.bin %> gateway log --dump']
  static flags = {...logFlags, app: Flags.string({summary: "Pod-name match of the gateway's pods", default: INGRESS_GATEWAY.app}), container: Flags.string({char: 'c', summary: 'Container', default: INGRESS_GATEWAY.logContainer})}

  async run(): Promise<LogResult> {
    const {flags} = await this.parse(GatewayLog)
    const r = await runLogCli(flags, {app: flags.app, namespace: flags.namespace ?? INGRESS_GATEWAY.namespace, container: flags.container}, this.jsonEnabled())
    return this.done(r.result, r.exitCode as ExitCode)
  }
}
