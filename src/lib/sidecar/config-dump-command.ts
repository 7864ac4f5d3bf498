// The body of sidecar-config and gateway-config: read the dump (pod or file), redact, then tables on a terminal
// or JSON/YAML (the default on a pipe, so `| jq .` and `| fx` work), --jsonpath over the selected sections.
import {BaseCommand} from '../cli/base-command.js'
import type {DumpSection} from '../dump/index.js'
import {defaultOutput} from '../render/default-output.js'
import {InputError} from '../resources/errors.js'
import {ExitCode} from '../cli/exit-codes.js'
import {quietOnBrokenPipe} from './cli.js'
import {redactionNote} from '../dump/redact.js'

export interface SidecarConfigFlags {
  'config-dump'?: string
  section: string
  jsonpath?: string
  output?: string
  'show-secrets': boolean
  'include-eds': boolean
  interactive?: boolean
  kubeconfig?: string
  context?: string
  container: string
  'request-timeout': number
}

export abstract class ConfigDumpCommand extends BaseCommand {
  /** Also the body of gateway-config, which only changes the defaults. */
  /** Returns the selected sections (or the --jsonpath matches): the --json document. */
  protected async show(app: string | undefined, namespace: string | undefined, flags: SidecarConfigFlags): Promise<unknown> {
    const section = flags.section as DumpSection
    const file = flags['config-dump']
    if (!file && !app) throw new InputError('give the APP whose sidecar to read (a pod name or part of one), or --config-dump DUMP', 'APP')
    if (flags.interactive) this.checkInteractive(flags)
    else quietOnBrokenPipe()

    if (file && flags['include-eds']) this.note('--include-eds has no effect with --config-dump: the saved dump has endpoints only if it was taken with ?include_eds.')
    let source = file === '-' ? 'stdin' : file
    const dump = file ? await this.readFile(file) : await this.fetch(app!, namespace, section, flags, (pod) => { source = pod })
    const [{sidecarView, applyJsonPath}, {wantsColor}] = await Promise.all([import('../sidecar/view.js'), import('../render/style.js')])
    const view = sidecarView(dump, section, flags['show-secrets'])
    const note = redactionNote(view.redacted)
    if (note) this.note(note)
    const color = wantsColor(process.stdout)
    if (flags.interactive) {
      const {runViewer} = await (await import('./viewer/load.js')).loadViewer()
      const what = section === 'all' ? 'config dump' : `config dump (--section ${section})`
      const {interrupted} = await runViewer(view.dump, {title: `${what} of ${source}${view.redacted ? `, ${view.redacted} secrets redacted` : ''}`, color})
      // Exits now (130 after Ctrl-C): client-node's pooled sockets to the API server would keep the process alive.
      this.exit(interrupted ? ExitCode.INTERRUPTED : ExitCode.OK)
    }
    const value = flags.jsonpath === undefined ? view.dump : applyJsonPath(view.dump, flags.jsonpath)
    if (this.jsonEnabled()) return value

    // Dumps can be large: JSON and YAML are streamed, not built as one string.
    const output = flags.output ?? defaultOutput(process.stdout)
    if (flags.jsonpath !== undefined || output !== 'table') {
      if (output === 'yaml') await (await import('../render/sidecar-yaml.js')).writeYaml(process.stdout, value)
      else await (await import('../render/sidecar-json.js')).writePrettyJson(process.stdout, value, color)
      return value
    }
    const {renderSidecarTables} = await import('../render/sidecar-tables.js')
    this.out(renderSidecarTables(view.dump, section, color))
    return value
  }

  /** -i draws on the terminal and reads keys from it: a pipe on either side, or a conflicting flag, is a usage error. */
  private checkInteractive(flags: SidecarConfigFlags): void {
    const conflict = this.jsonEnabled() ? '--json' : flags.output !== undefined ? '-o' : flags.jsonpath !== undefined ? '--jsonpath' : undefined
    if (conflict) throw new InputError(`-i shows the dump in a viewer; leave out ${conflict} (or -i to print)`, '--interactive')
    if (flags['config-dump'] === '-') throw new InputError('-i reads keys from the terminal, so the dump cannot come from stdin: save it and give --config-dump FILE', '--interactive')
    if (!process.stdout.isTTY) throw new InputError('-i needs a terminal, but stdout is a pipe or file; without -i the dump is printed as JSON there (| jq ., | fx)', '--interactive')
    if (!process.stdin.isTTY) throw new InputError('-i needs a terminal to read keys from, but stdin is not one', '--interactive')
    if (process.env.TERM === 'dumb') throw new InputError('-i redraws the screen, which TERM=dumb cannot do; without -i the tables are printed', '--interactive')
  }

  private async readFile(path: string) {
    const {readConfigDumpFile} = await import('../sidecar/file.js')
    return (await readConfigDumpFile(path)).dump
  }

  private async fetch(app: string, namespace: string | undefined, section: DumpSection, flags: {kubeconfig?: string; context?: string; container: string; 'include-eds': boolean; 'request-timeout': number}, onPod: (pod: string) => void) {
    const [{fetchConfigDump}, {configDumpPath}] = await Promise.all([import('../sidecar/fetch.js'), import('../sidecar/admin-path.js')])
    const fetched = await fetchConfigDump({
      kubeconfig: flags.kubeconfig, context: flags.context, namespace, app, container: flags.container,
      timeoutMs: flags['request-timeout'] * 1000, path: configDumpPath(section, flags['include-eds']), onNote: (line) => this.note(line),
    })
    onPod(`${fetched.namespace}/${fetched.pod}`)
    return fetched.dump
  }
}
