import * as Args from '@oclif/core/args'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {istiodFlags, readIstiodText} from '../../lib/mesh/istiod-cli.js'
import {quietOnBrokenPipe} from '../../lib/sidecar/cli.js'

export default class IstiodDebug extends BaseCommand {
  static summary = "Read one of istiod's /debug endpoints (lists them when none is given)"
  static description = `aerakictl.sh's _istiod_debug [path]: GET :15014/debug/ENDPOINT of the first running istiod pod (in -n, default istio-system), by port-forward, else exec "pilot-discovery request GET", else exec curl; stderr names the pod and the way. The answer is printed as istiod sends it (JSON pretty-printed), secrets redacted unless --show-secrets.`

  static exitCodes = {0: 'answered', 4: 'the cluster or istiod could not be read'}

  static examples = ['<%= config.bin %> istiod debug', '<%= config.bin %> istiod debug configz | jq length', '<%= config.bin %> istiod debug "adsz?push_status"']
  static args = {endpoint: Args.string({description: 'Endpoint name, e.g. configz, registryz, adsz, syncz (with or without /debug/)'})}
  static flags = istiodFlags

  async run(): Promise<{endpoints: unknown[]} | {endpoint: string; answer: unknown}> {
    const {args, flags} = await this.parse(IstiodDebug)
    const {ISTIOD_DEBUG_ENDPOINTS} = await import('../../lib/mesh/istiod.js')
    if (!args.endpoint) {
      const {renderTextTable} = await import('../../lib/dump/render/text-table.js')
      if (!this.jsonEnabled()) this.out(renderTextTable([{header: 'ENDPOINT'}, {header: 'WHAT'}], ISTIOD_DEBUG_ENDPOINTS.map((e) => [`/debug/${e.path}`, e.what])))
      this.note('istiod lists every endpoint it serves at "istiod debug list" (/debug/list).')
      return {endpoints: ISTIOD_DEBUG_ENDPOINTS}
    }
    quietOnBrokenPipe()
    const {text} = await readIstiodText(flags, args.endpoint, (l) => this.note(l))
    let shown = text
    let answer: unknown = text
    try {
      answer = JSON.parse(text)
      shown = `${JSON.stringify(answer, null, 2)}\n`
    } catch {
      if (!shown.endsWith('\n')) shown += '\n'
    }
    if (!this.jsonEnabled()) this.out(shown)
    return {endpoint: args.endpoint, answer}
  }
}
