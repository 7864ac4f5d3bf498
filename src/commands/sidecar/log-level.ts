import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {meshFlags, outputFlag, readAdmin} from '../../lib/mesh/cli.js'
import {ENVOY_ADMIN} from '../../lib/sidecar/fetch.js'
import {namespaceOf} from '../../lib/sidecar/cli.js'

export default class SidecarLogLevel extends BaseCommand {
  static summary = "Show a sidecar's Envoy logger levels, or set them (all loggers, or --logger NAME)"
  static description = `aerakictl.sh's _sidecar_enable_debug, _sidecar_enable_trace and _sidecar_disable_debug, checked first as istioctl's "proxy-config log" does: the logger names and the level must exist ("unrecognized logger name" otherwise), then POST /logging?level=L or /logging?NAME=L.`

  static exitCodes = {0: 'shown or set', 2: 'unknown level or logger', 4: 'the cluster or the proxy could not be read'}

  static examples = [
    '<%= config.bin %> sidecar log-level client meta-thrift',
    '<%= config.bin %> sidecar log-level client meta-thrift debug',
    '<%= config.bin %> sidecar log-level client meta-thrift trace --logger filter --logger router',
    '<%= config.bin %> sidecar log-level client meta-thrift info',
  ]

  static args = {
    app: Args.string({description: 'Pod name, or part of one (e.g. client)', required: true}),
    namespace: Args.string({description: 'Namespace (same as -n)'}),
    level: Args.string({description: 'trace, debug, info, warning, error, critical or off'}),
  }

  static flags = {
    ...meshFlags,
    logger: Flags.string({summary: 'Only this logger (repeatable)', multiple: true}),
    output: outputFlag,
  }

  async run(): Promise<Record<string, string>> {
    const {args, flags} = await this.parse(SidecarLogLevel)
    const levelWords = new Set(['trace', 'debug', 'info', 'warning', 'warn', 'error', 'critical', 'off'])
    // APP LEVEL with -n: the second argument is the level.
    const [nsArg, level] = args.level === undefined && args.namespace && levelWords.has(args.namespace.toLowerCase()) ? [undefined, args.namespace] : [args.namespace, args.level]
    const namespace = namespaceOf(nsArg, flags.namespace) ?? ''
    const {parseLogging, loggingPaths} = await import('../../lib/mesh/log-level.js')
    const note = (l: string) => this.note(l)
    const read = (path: string, verb: 'GET' | 'POST' = 'GET') => readAdmin(flags, {app: args.app, namespace, target: ENVOY_ADMIN, path, verb, showSecrets: true, note})
    let levels = parseLogging((await read('logging')).text)
    if (level !== undefined) {
      for (const path of loggingPaths(levels, level, flags.logger ?? [])) levels = parseLogging((await read(path, 'POST')).text)
      this.note(`Set ${flags.logger?.length ? flags.logger.join(', ') : 'every logger'} to ${level}.`)
    }
    const shown = flags.logger?.length ? Object.fromEntries(Object.entries(levels).filter(([k]) => flags.logger!.includes(k))) : levels
    const {defaultOutput} = await import('../../lib/render/default-output.js')
    const {renderTextTable} = await import('../../lib/dump/render/text-table.js')
    await this.print(flags.output ?? defaultOutput(process.stdout), shown, () => renderTextTable([{header: 'LOGGER'}, {header: 'LEVEL'}], Object.entries(shown)))
    return shown
  }
}
