import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../lib/cli/base-command.js'
import {InputError} from '../lib/resources/errors.js'
import {ExitCode} from '../lib/cli/exit-codes.js'

/** What the playground serves; printed once it listens (under --json as one document). */
export interface PlaygroundResult {
  url: string
  kubeconfig: string
  context: string
  bare: boolean
}

export default class Playground extends BaseCommand {
  static summary = 'Run a local Kubernetes API emulator with Istio, Aeraki and the demo workloads'

  static description = `Serves an in-memory Kubernetes API on 127.0.0.1 over HTTPS (fresh CA, bearer token) until Ctrl-C (exit 130) or SIGTERM (exit 0). Once it listens it writes a kubeconfig with the context "aerakictl-playground" and prints its path (with --json: one document with url, kubeconfig and context); point kubectl or aerakictl at it with --kubeconfig or KUBECONFIG. The cluster starts with the DestinationRule, ServiceEntry, MetaRouter and ApplicationProtocol CRDs and istiod/aeraki pods in istio-system (--bare: without them).

Deployments of the Aeraki demo images behave like the demo: the Thrift client logs which server pod answered, routed by the MetaRouters stored right now, and each istio-proxy answers config_dump.`

  static exitCodes = {0: 'stopped by SIGTERM', 130: 'stopped by Ctrl-C (SIGINT)'}

  static examples = [
    '<%= config.bin %> playground',
    '<%= config.bin %> playground --kubeconfig ./pg.kubeconfig --port 0 --speed 5',
    'KUBECONFIG=~/.config/aerakictl/playground.kubeconfig kubectl get pods -A',
  ]

  static flags = {
    kubeconfig: Flags.string({summary: 'Where to write the kubeconfig (default: <config dir>/playground.kubeconfig)'}),
    port: Flags.integer({summary: 'Port on 127.0.0.1; 0 picks a free one', default: 0}),
    speed: Flags.string({summary: 'Request-rate multiplier of the demo clients (1 = one request per second)', default: '1'}),
    bare: Flags.boolean({summary: 'Start without Istio/Aeraki CRDs and istio-system pods'}),
    'log-requests': Flags.boolean({summary: 'Print one line per API request to stderr'}),
  }

  async run(): Promise<PlaygroundResult> {
    const {flags} = await this.parse(Playground)
    const speed = Number(flags.speed)
    if (!Number.isFinite(speed)) throw new InputError(`must be a number, not ${JSON.stringify(flags.speed)}`, '--speed')
    const {startPlayground, defaultKubeconfigPath} = await import('../lib/playground/playground.js')
    const kubeconfigPath = flags.kubeconfig ?? defaultKubeconfigPath(this.config.configDir)
    const pg = await startPlayground({kubeconfigPath, port: flags.port, speed, bare: flags.bare, requestLog: flags['log-requests'] ? (line) => this.note(line) : undefined})
    const result: PlaygroundResult = {url: pg.emulator.url, kubeconfig: pg.kubeconfigPath, context: 'aerakictl-playground', bare: Boolean(flags.bare)}
    // The handlers come before anything is printed: whoever reads the output may signal at once, and a SIGTERM
    // before them would kill the process with the kubeconfig left behind.
    const stopped = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    // Printed now, while it serves (under --json too): the result of a command that ends only when stopped.
    if (this.jsonEnabled()) this.logJson(result)
    else {
      this.out(`Playground Kubernetes API: ${pg.emulator.url}${flags.bare ? ' (bare: no Istio/Aeraki)' : ''}\n`)
      this.out(`Kubeconfig (context aerakictl-playground): ${pg.kubeconfigPath}\n`)
      this.out(`  export KUBECONFIG=${pg.kubeconfigPath}\n  kubectl get pods -A\n`)
    }
    this.note('Serving until Ctrl-C (SIGINT) or SIGTERM.')
    const signal = await stopped
    await pg.stop()
    this.note(`Stopped (${signal}); removed ${pg.kubeconfigPath}.`)
    // Already printed above; exit now so that it is not printed twice.
    this.exit(signal === 'SIGINT' ? ExitCode.INTERRUPTED : ExitCode.OK)
    return result
  }
}
