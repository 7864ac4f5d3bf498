// The help class (package.json oclif.helpClass): descriptions are paragraphs wrapped once to the terminal width,
// indented blocks (YAML, tables) and examples are printed verbatim so they can be copied, and every command's
// help ends with the exit-code table.
import {CommandHelp, Help} from '@oclif/core/help'
import type {Command} from '@oclif/core/command'
import {exitCodeRows} from './exit-codes.js'

type Example = string | {description: string; command: string}

/** Wraps plain lines; lines that start with whitespace, and blank lines, stay as they are. */
function wrapParagraphs(text: string, wrap: (s: string) => string): string {
  return text.split('\n').map(line => (line === '' || /^\s/.test(line) ? line : wrap(line))).join('\n')
}

export class AerakictlCommandHelp extends CommandHelp {
  protected description(): string | undefined {
    const cmd = this.command
    if (!cmd.description) return undefined
    const text = this.render(cmd.summary ? `${cmd.summary}\n\n${cmd.description}` : cmd.description)
    return wrapParagraphs(text, s => this.wrap(s))
  }

  protected examples(examples: Command.Example[] | undefined | string): string | undefined {
    if (!examples || examples.length === 0) return undefined
    const list = (Array.isArray(examples) ? examples : [examples]) as Example[]
    return list.map(e => {
      const command = this.render(typeof e === 'string' ? e : e.command).split('\n')
      const first = `$ ${command[0]}`
      const body = this.indent([first, ...command.slice(1)].join('\n'), typeof e === 'string' ? 0 : 2)
      return typeof e === 'string' ? body : `${this.wrap(e.description)}\n${body}`
    }).join('\n')
  }

  protected sections(): ReturnType<CommandHelp['sections']> {
    return [
      ...super.sections(),
      {header: 'EXIT CODES', generate: () => this.renderList(exitCodeRows((this.command as {exitCodes?: Record<number, string>}).exitCodes), {indentation: 2})},
    ]
  }
}

export default class AerakictlHelp extends Help {
  protected CommandHelpClass = AerakictlCommandHelp

  protected async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    this.log(this.section('EXIT CODES', this.renderList(exitCodeRows(), {indentation: 2})))
    this.log('')
  }
}
