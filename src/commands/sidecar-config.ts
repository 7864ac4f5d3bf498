import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {ConfigDumpCommand} from '../lib/sidecar/config-dump-command.js'
import {kubeFlags, namespaceOf} from '../lib/sidecar/cli.js'
import {configDumpFlag} from '../lib/cli/cluster-flags.js'
import {outputFlagChosenByCommand} from '../lib/cli/output.js'

const SECTIONS = ['all', 'bootstrap', 'listeners', 'clusters', 'routes', 'metaprotocol', 'secrets']

export default class SidecarConfig extends ConfigDumpCommand {
  static summary = 'Show the Envoy configuration a sidecar really holds, with its MetaProtocol routes as tables'

  static description = `Reads /config_dump of the pod's istio-proxy: by port-forward to the admin port 15000 (as istioctl does), else by exec "pilot-agent request GET config_dump", else by exec curl; stderr says which worked. --config-dump reads a saved dump instead (- for stdin). APP is a pod name or part of one (the first running match is used).

Where the output goes decides the default format, as with the bash aerakictl: on a terminal, tables; on a pipe or into a file, the (redacted) config dump as JSON, so "| jq ." and "| fx" work. -o json|yaml|table chooses explicitly.

-i (on a terminal) opens an interactive viewer instead, the fx step built in: the (redacted) dump as a collapsible tree with the sections named by their @type; ↑↓ (j/k) move, → / ← (l/h) open and close, Enter toggles, / searches keys and values (plain text, any case) with n/N for the next and previous match, m jumps to the MetaProtocol routes, the JSONPath of the selected node is shown (as --jsonpath takes it), q quits. -i on a pipe is a usage error (exit 2).

Sections are found by @type, never by position, in snake_case or camelCase dumps. -o table (the default on a terminal) shows the MetaProtocol listeners, routes and the clusters they reference for --section all|metaprotocol, and an overview for the other sections. -o json|yaml print the selected sections (coloured JSON on a terminal; NO_COLOR turns it off). --jsonpath applies a JSONPath (jsonpath-plus) to the selected sections and prints the matches as JSON (or YAML with -o yaml).

Private keys, passwords, tokens and similar are replaced by a marker such as "[redacted: PEM private key, 1704 bytes]" in every output, section and JSONPath unless --show-secrets, also where Envoy did not redact them: found by the fields Envoy marks sensitive, by name (password, token, api_key, authorization, … in any case), and by content (PEM and DER keys, also base64-encoded, bearer tokens, JWTs, passwords in URLs, JSON inside strings).`

  static exitCodes = {0: 'shown', 4: 'the cluster or the sidecar could not be read (the message says why)'}

  static examples = [
    '<%= config.bin %> sidecar-config client meta-thrift',
    '<%= config.bin %> sidecar-config client -n meta-thrift --section metaprotocol -o yaml',
    '<%= config.bin %> sidecar-config client meta-thrift | jq .',
    '<%= config.bin %> sidecar-config client meta-thrift -i',
    '<%= config.bin %> sidecar-config --config-dump dump.json --section routes',
    '<%= config.bin %> sidecar-config --config-dump dump.json --jsonpath \'$.configs[?(@["@type"].endsWith("RoutesConfigDump"))].dynamic_route_configs[*].route_config.name\'',
  ]

  // ignoreStdin: oclif would otherwise read a missing argument from stdin, eating a `--config-dump -` dump.
  static args = {
    app: Args.string({description: 'Pod name, or part of one (e.g. client), pod/NAME, or deploy/NAME (svc, sts, ds, rs, job)', ignoreStdin: true}),
    namespace: Args.string({description: 'Namespace (same as -n)', ignoreStdin: true}),
  }

  static flags = {
    'config-dump': configDumpFlag('Read a saved config dump instead of a pod (- for stdin)'),
    section: Flags.string({summary: 'Part of the dump to show', options: SECTIONS, default: 'all'}),
    jsonpath: Flags.string({summary: 'JSONPath over the selected sections, e.g. $.configs[*]["@type"]'}),
    output: outputFlagChosenByCommand({summary: 'table: MetaProtocol tables or an overview; json or yaml: the selected sections (or the --jsonpath matches). Default: table on a terminal, json on a pipe'}),
    'show-secrets': Flags.boolean({summary: 'Do not redact private keys, passwords and tokens'}),
    'include-eds': Flags.boolean({summary: 'Ask Envoy for endpoints too (config_dump?include_eds)'}),
    interactive: Flags.boolean({char: 'i', summary: 'Browse the dump on the terminal: a collapsible tree, / search, m MetaProtocol routes, q quit'}),
    ...kubeFlags,
  }

  async run(): Promise<unknown> {
    const {args, flags} = await this.parse(SidecarConfig)
    return this.show(args.app, namespaceOf(args.namespace, flags.namespace), flags)
  }

}
