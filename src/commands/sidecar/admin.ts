import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {meshFlags, readAdmin} from '../../lib/mesh/cli.js'
import {InputError} from '../../lib/resources/errors.js'
import {ENVOY_ADMIN} from '../../lib/sidecar/fetch.js'
import {namespaceOf, quietOnBrokenPipe} from '../../lib/sidecar/cli.js'

export default class SidecarAdmin extends BaseCommand {
  static summary = 'GET any Envoy admin path of a sidecar and print the answer (POST with --post)'
  static description = `aerakictl.sh's _sidecar_admin APP NS PATH, reached as istioctl does: port-forward to the admin port 15000, else exec "pilot-agent request", else exec curl; stderr names the pod and the way that worked. Secrets are redacted unless --show-secrets.

Paths that change the proxy (logging?level=…, quitquitquit, reset_counters, drain_listeners, healthcheck/fail…) need --post and a confirmation (--yes for scripts).`

  static exitCodes = {0: 'answered', 2: 'bad input (a path that changes the proxy without --post, no --yes without a terminal)', 4: 'the cluster or the proxy could not be read (Envoy\'s own text for unknown paths)', 130: 'interrupted, at the prompt too'}

  static examples = [
    '<%= config.bin %> sidecar admin client meta-thrift server_info',
    '<%= config.bin %> sidecar admin client meta-thrift clusters',
    '<%= config.bin %> sidecar admin client meta-thrift "logging?level=info" --post --yes',
  ]

  static args = {
    app: Args.string({description: 'Pod name, or part of one (e.g. client)', required: true}),
    namespace: Args.string({description: 'Namespace (same as -n)'}),
    path: Args.string({description: 'Admin path, e.g. server_info, clusters, stats?filter=thrift'}),
  }

  static flags = {
    ...meshFlags,
    container: Flags.string({char: 'c', summary: 'Container running Envoy', default: 'istio-proxy'}),
    post: Flags.boolean({summary: 'Send a POST (for paths that change the proxy)'}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation of a POST'}),
  }

  async run(): Promise<{path: string; sent: boolean; answer?: string}> {
    const {args, flags} = await this.parse(SidecarAdmin)
    // aerakictl.sh's positional order is APP NS PATH; with -n the second argument is the PATH.
    const [nsArg, path] = args.path === undefined && flags.namespace ? [undefined, args.namespace] : [args.namespace, args.path]
    if (!path) throw new InputError('give the admin PATH to read, e.g. server_info or clusters', 'PATH')
    const namespace = namespaceOf(nsArg, flags.namespace)
    const {isMutatingAdminPath} = await import('../../lib/mesh/admin-paths.js')
    if (isMutatingAdminPath(path) && !flags.post) throw new InputError(`/${path.replace(/^\/+/, '')} changes the proxy: Envoy takes it only as a POST; add --post`, '--post')
    if (flags.post && !flags.yes) {
      if (!process.stdin.isTTY) throw new InputError('refusing to POST without confirmation: stdin is not a terminal; pass --yes', '--yes')
      const {confirm} = await import('../../lib/install/confirm.js')
      if (!(await confirm(`POST /${path.replace(/^\/+/, '')} to the sidecar of ${args.app}?`))) { this.note('Nothing sent.'); return {path, sent: false} }
    }
    quietOnBrokenPipe()
    const r = await readAdmin(flags, {app: args.app, namespace: namespace ?? '', target: ENVOY_ADMIN, container: flags.container, path, verb: flags.post ? 'POST' : 'GET', showSecrets: flags['show-secrets'], note: (l) => this.note(l)})
    if (!this.jsonEnabled()) this.out(r.text.endsWith('\n') || r.text === '' ? r.text : `${r.text}\n`)
    return {path, sent: true, answer: r.text}
  }
}
