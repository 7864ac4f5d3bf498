import * as Args from '@oclif/core/args'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {LOG_EXIT_CODES, logFlags, runLogCli, type LogResult} from '../../lib/mesh/log-cli.js'
import {namespaceOf} from '../../lib/sidecar/cli.js'

export default class SidecarLog extends BaseCommand {
  static summary = 'Tail the Envoy log (istio-proxy) of every pod matching APP'
  static description = `aerakictl.sh's _sidecar_log, with the app-log engine: every matching pod, -f to follow, --tail, --since; --dump writes a timestamped file instead of stdout. Raise the level first with "sidecar log-level APP NS debug".`

  static exitCodes = LOG_EXIT_CODES

  static examples = ['<%= config.bin %> sidecar log client meta-thrift --tail 20', '<%= config.bin %> sidecar log client meta-thrift -f']
  static args = {
    app: Args.string({description: 'Pod name, or part of one (e.g. client)', required: true}),
    namespace: Args.string({description: 'Namespace (same as -n)'}),
  }

  static flags = logFlags

  async run(): Promise<LogResult> {
    const {args, flags} = await this.parse(SidecarLog)
    const namespace = namespaceOf(args.namespace, flags.namespace)
    const r = await runLogCli({...flags, namespace}, {app: args.app, namespace: namespace ?? '', container: 'istio-proxy'}, this.jsonEnabled())
    return this.done(r.result, r.exitCode as ExitCode)
  }
}
