import * as Args from '@oclif/core/args'
import {BaseCommand} from '../lib/cli/base-command.js'
import {completionScript, SHELLS, type Shell} from '../lib/cli/completion.js'

export default class Completion extends BaseCommand {
  static summary = 'Print the shell completion script for bash, zsh or fish'
  static description = 'The script completes commands, flags, flag values, template names and, when the current kubeconfig reaches a cluster, namespaces and app names. Enable it for the current shell as the examples show, or add that line to ~/.bashrc, ~/.zshrc or ~/.config/fish/config.fish.'
  static examples = [
    'source <(<%= config.bin %> completion bash)',
    'source <(<%= config.bin %> completion zsh)',
    '<%= config.bin %> completion fish | source',
  ]
  static args = {shell: Args.string({description: 'Shell', options: [...SHELLS], required: true})}

  async run(): Promise<{shell: string; script: string}> {
    const {args} = await this.parse(Completion)
    const script = completionScript(args.shell as Shell, this.config.bin)
    if (!this.jsonEnabled()) this.out(script)
    return {shell: args.shell, script}
  }
}
