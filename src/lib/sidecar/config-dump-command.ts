// The body of sidecar-config and gateway-config: read the dump (pod or file), redact, then tables on a terminal
// or JSON/YAML (the default on a pipe, so `| jq .` and `| fx` work), --jsonpath over the selected sections.
import {BaseCommand} from '../cli/base-command.js'
import type {DumpSection} from '../dump/index.js'
import {defaultOutput} from '../render/default-output.js'
import {InputError} from '../resources/errors.js'
import {isClusterError, quietOnBrokenPipe} from './cli.js'
import {redactionNote} from '../dump/redact.js'

export interface SidecarConfigFlags {
  file?: string
  section: string
  jsonpath?: string
  output?: string
  'show-secrets': boolean
  'include-eds': boolean
  kubeconfig?: string
  context?: string
  container: string
  'request-timeout': number
}

export abstract class ConfigDumpCommand extends BaseCommand {
  /** Also the body of gateway-config, which only changes the defaults. */
  protected async show(app: string | undefined, namespace: string | undefined, flags: SidecarConfigFlags): Promise<void> {
    const section = flags.section as DumpSection
    if (!flags.file && !app) throw new InputError('give the APP whose sidecar to read (a pod name or part of one), or --file DUMP', 'APP')
    quietOnBrokenPipe()

    if (flags.file && flags['include-eds']) this.note('--include-eds has no effect with --file: the saved dump has endpoints only if it was taken with ?include_eds.')
    const dump = flags.file ? await this.readFile(flags.file) : await this.fetch(app!, namespace, section, flags)
    const [{sidecarView, applyJsonPath}, {wantsColor}] = await Promise.all([import('../sidecar/view.js'), import('../render/style.js')])
    const view = sidecarView(dump, section, flags['show-secrets'])
    const note = redactionNote(view.redacted)
    if (note) this.note(note)
    const color = wantsColor(process.stdout)

    const output = flags.output ?? defaultOutput(process.stdout)
    if (flags.jsonpath !== undefined || output !== 'table') {
      const value = flags.jsonpath === undefined ? view.dump : applyJsonPath(view.dump, flags.jsonpath)
      if (output === 'yaml') await (await import('../render/sidecar-yaml.js')).writeYaml(process.stdout, value)
      else await (await import('../render/sidecar-json.js')).writePrettyJson(process.stdout, value, color)
      return
    }
    const {renderSidecarTables} = await import('../render/sidecar-tables.js')
    this.out(renderSidecarTables(view.dump, section, color))
  }

  private async readFile(path: string) {
    const {readConfigDumpFile} = await import('../sidecar/file.js')
    return (await readConfigDumpFile(path)).dump
  }

  private async fetch(app: string, namespace: string | undefined, section: DumpSection, flags: {kubeconfig?: string; context?: string; container: string; 'include-eds': boolean; 'request-timeout': number}) {
    const [{fetchConfigDump}, {configDumpPath}] = await Promise.all([import('../sidecar/fetch.js'), import('../sidecar/admin-path.js')])
    const fetched = await fetchConfigDump({
      kubeconfig: flags.kubeconfig, context: flags.context, namespace, app, container: flags.container,
      timeoutMs: flags['request-timeout'] * 1000, path: configDumpPath(section, flags['include-eds']), onNote: (line) => this.note(line),
    })
    return fetched.dump
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<any> {
    if (isClusterError(err)) {
      process.stderr.write(`Error: ${err.message}\n`)
      this.exit(1)
    }
    return super.catch(err)
  }
}
