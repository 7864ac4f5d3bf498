// Shared behaviour of every command: --json everywhere, one renderer map for -o, one exit-code table.
//
// A command's run() returns its typed result. When the outcome is not a success (a test failed, findings reached
// the threshold, ...) it returns `this.done(result, ExitCode.X)`: the result is printed first (under --json by
// oclif, as one JSON document), and the command exits with the code afterwards. Errors are printed as
// `Error: message` on stderr, or under --json as one document `{"error": {code, message, exitCode}}` on stdout.
import {Command} from '@oclif/core/command'
import {classifyError, ExitCode, InterruptedError} from './exit-codes.js'
import {renderJson} from '../render/json.js'
import {escapeControls} from '../render/terminal-safe.js'
import {wantsColor} from '../render/style.js'


/** How each -o value renders the result; json and yaml are built in. */
export type Renderers = Record<string, (color: boolean) => string | Promise<string>>

export abstract class BaseCommand extends Command {
  static enableJsonFlag = true
  /** Command-specific meanings of exit codes, shown in the EXIT CODES section of --help. */
  static exitCodes: Record<number, string> = {}

  private exitAfterResult: ExitCode = ExitCode.OK
  private sigintFallback?: () => void

  /** Returns `result` and makes the command exit with `code` once it has been printed. */
  protected done<T>(result: T, code: ExitCode): T {
    this.exitAfterResult = code
    return result
  }

  async init(): Promise<void> {
    await super.init()
    // bin/load-bundle.js writes its code cache again after the first run of a command it has not seen.
    ;(globalThis as {__aerakictlCommandId?: string}).__aerakictlCommandId = this.id
    // Ctrl-C anywhere exits 130 (commands with their own handler decide themselves; see onInterrupt).
    this.sigintFallback = () => {
      if (process.listenerCount('SIGINT') > 1) return
      process.stderr.write('\nInterrupted.\n')
      process.exit(ExitCode.INTERRUPTED)
    }
    process.on('SIGINT', this.sigintFallback)
  }

  async finally(err: Error | undefined): Promise<void> {
    if (this.sigintFallback) process.off('SIGINT', this.sigintFallback)
    await super.finally(err)
  }

  async _run<T>(): Promise<T> {
    const result = await super._run<T>()
    if (this.exitAfterResult !== ExitCode.OK) this.exit(this.exitAfterResult)
    return result
  }

  /** --json documents: plain (never coloured), BigInts as decimal strings. */
  logJson(json: unknown): void {
    process.stdout.write(escapeControls(renderJson(json)))
  }

  /**
   * Results go to stdout (no trailing newline added), control characters from the data escaped (names from a
   * cluster or a dump, quoted input); the colour sequences of our own palette stay when colour is on.
   */
  protected out(text: string): void {
    process.stdout.write(escapeControls(text, wantsColor(process.stdout)))
  }

  /**
   * One document, as -o asks: JSON or YAML of `doc`, else the renderer of that name (coloured only on a
   * terminal; a lone function is the table renderer). Nothing under --json, where the returned result is printed.
   */
  protected async print(format: string, doc: unknown, renderersOrTable: Renderers | Renderers[string]): Promise<void> {
    if (this.jsonEnabled()) return
    const renderers: Renderers = typeof renderersOrTable === 'function' ? {table: renderersOrTable} : renderersOrTable
    if (renderers[format]) {
      this.out(await renderers[format]((await import('../render/style.js')).wantsColor(process.stdout)))
    } else if (format === 'json') this.out(renderJson(doc))
    else if (format === 'yaml') this.out((await import('../render/yaml.js')).renderYaml(doc))
    else throw new Error(`no renderer for -o ${format}`)
  }

  /** Diagnostics go to stderr (under --json too: stdout holds only the document). */
  protected note(text: string): void {
    const safe = escapeControls(text, wantsColor(process.stderr))
    process.stderr.write(safe.endsWith('\n') ? safe : `${safe}\n`)
  }

  protected async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}; code?: unknown}): Promise<any> {
    // this.exit(n) and process.exit paths: already decided.
    if (err.oclif?.exit !== undefined && err.code === 'EEXIT') throw err
    const info = classifyError(err)
    if (this.jsonEnabled()) {
      this.logJson({error: {code: info.code, message: info.message, exitCode: info.exitCode}})
      if (!info.expected) process.stderr.write(`${err.stack ?? err.message}\n`)
      this.exit(info.exitCode)
    }
    // oclif's own parse errors print themselves (with a pointer to --help) and carry exit code 2.
    if (err.oclif && info.code === 'BAD_FLAGS') throw err
    // Printed unwrapped (oclif would fold long messages to the terminal width, breaking file:line:col for tools).
    if (info.expected) process.stderr.write(`Error: ${escapeControls(err.message)}\n`)
    else process.stderr.write(`Error: unexpected failure: ${escapeControls(err.stack ?? err.message)}\n`)
    this.exit(info.exitCode)
  }
}

export {ExitCode, InterruptedError}
