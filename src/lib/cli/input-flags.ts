// Flags of the commands that read manifest files (-f): one definition, so name, help and validation agree.
import {CLIError} from '@oclif/core/errors'
import * as Flags from '@oclif/core/flags'
import {DEFAULT_MAX_INPUT_MB} from '../resources/limits.js'

/** --max-input-mb: the largest manifest file (or stdin) read; a bigger one is refused before it is parsed. */
export const maxInputMbFlag = Flags.custom<number>({
  summary: `The largest manifest file or stdin read, in MB (default ${DEFAULT_MAX_INPUT_MB}, or AERAKICTL_MAX_INPUT_MB)`,
  helpValue: 'MB',
  parse: async (input) => {
    const mb = Number(input)
    if (input.trim() === '' || !Number.isFinite(mb) || mb <= 0) throw new CLIError(`expected a size in MB greater than 0, such as 64 or 0.5, not ${JSON.stringify(input)}`, {exit: 2})
    return mb
  },
})
