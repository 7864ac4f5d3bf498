// Shared behaviour of every command: InputError -> exit 2 with the message; anything else -> exit 1.
import {Command} from '@oclif/core/command'
import {InputError} from '../resources/errors.js'
import {KubeError} from '../kube/errors.js'

export abstract class BaseCommand extends Command {
  /** Results go to stdout as is (no trailing newline added). */
  protected out(text: string): void {
    process.stdout.write(text)
  }

  /**
   * One document, as -o asks: JSON or YAML of `doc`, else the command's text rendering (coloured only on a
   * terminal). Nothing under --json, where oclif prints the returned result itself.
   */
  protected async print(format: string, doc: unknown, text: (color: boolean) => string | Promise<string>): Promise<void> {
    if (this.jsonEnabled()) return
    if (format === 'json') this.out((await import('../render/json.js')).renderJson(doc))
    else if (format === 'yaml') this.out((await import('../render/yaml.js')).renderYaml(doc))
    else this.out(await text((await import('../render/style.js')).wantsColor(process.stdout)))
  }

  /** Diagnostics go to stderr. */
  protected note(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<any> {
    // Printed unwrapped (oclif would fold long messages to the terminal width, breaking file:line:col for tools).
    if (err instanceof InputError) {
      process.stderr.write(`Error: ${err.message}\n`)
      this.exit(2)
    }
    // Cluster problems (unreachable, 401/403, missing objects) carry an actionable message; no stack trace.
    if (err instanceof KubeError) {
      process.stderr.write(`Error: ${err.message}\n`)
      this.exit(1)
    }
    if (err.oclif) throw err // oclif's own parse errors and exits carry their codes
    process.stderr.write(`Error: unexpected failure: ${err.stack ?? err.message}\n`)
    this.exit(1)
  }
}
