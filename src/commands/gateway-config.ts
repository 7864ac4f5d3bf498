import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import SidecarConfig from './sidecar-config.js'
import {ConfigDumpCommand} from '../lib/sidecar/config-dump-command.js'
import {namespaceOf} from '../lib/sidecar/cli.js'
import {INGRESS_GATEWAY} from '../lib/mesh/targets.js'

export default class GatewayConfig extends ConfigDumpCommand {
  static summary = "Show the Envoy configuration of an Istio gateway (istio-ingressgateway by default), with endpoints and MetaProtocol listeners"

  static description = `aerakictl.sh's _gateway_config: /config_dump?include_eds of the gateway pod (NAME, default istio-ingressgateway, in -n, default istio-system), read as sidecar-config reads a sidecar (port-forward to 15000, then pilot-agent, then curl; stderr says which worked). On a terminal, tables (the MetaProtocol gateway listeners and routes among them); on a pipe, the redacted dump as JSON for jq or fx; -o json|yaml|table explicit. --no-eds leaves endpoints out.`

  static exitCodes = {0: 'shown', 4: 'the cluster or the gateway could not be read'}

  static examples = [
    '<%= config.bin %> gateway-config',
    '<%= config.bin %> gateway-config --section listeners',
    '<%= config.bin %> gateway-config | jq \'.configs[]["@type"]\'',
  ]

  static args = {
    name: Args.string({description: `Gateway pod name or part of one (default ${INGRESS_GATEWAY.app})`, ignoreStdin: true}),
  }

  static flags = {
    ...SidecarConfig.flags,
    'no-eds': Flags.boolean({summary: 'Leave the endpoints (?include_eds) out'}),
  }

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(GatewayConfig)
    const namespace = namespaceOf(undefined, flags.namespace) ?? INGRESS_GATEWAY.namespace
    return this.show(args.name ?? INGRESS_GATEWAY.app, namespace, {...flags, 'include-eds': flags['include-eds'] || (!flags['no-eds'] && !flags['config-dump'])})
  }
}
