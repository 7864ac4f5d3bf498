// Shared behaviour of every command: InputError -> exit 2 with the message; anything else -> exit 1.
import {Command} from '@oclif/core'
import {InputError} from '../resources/errors.js'

export abstract class BaseCommand extends Command {
  /** Results go to stdout as is (no trailing newline added). */
  protected out(text: string): void {
    process.stdout.write(text)
  }

  /** Diagnostics go to stderr. */
  protected note(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<any> {
    if (err instanceof InputError) this.error(err.message, {exit: 2})
    if (err.oclif) throw err // oclif's own parse errors already carry exit 2
    this.error(`unexpected failure: ${err.stack ?? err.message}`, {exit: 1})
  }
}
