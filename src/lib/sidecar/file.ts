// A saved dump (`--file PATH` / `--config-dump PATH`, `-` for stdin), e.g. from
// `kubectl exec … curl 127.0.0.1:15000/config_dump > dump.json`: the one config-dump file reader.
import {ConfigDumpError, parseConfigDump, type ConfigDump} from '../dump/index.js'
import {InputError} from '../resources/errors.js'
import {readInput, readStdinBytes} from '../resources/stdin.js'

export async function readConfigDumpFile(path: string, stdin: () => Promise<Buffer> = readStdinBytes): Promise<{dump: ConfigDump; source: string; bytes: number}> {
  const input = await readInput(path, stdin)
  try {
    return {dump: parseConfigDump(input.text), source: input.source, bytes: input.bytes}
  } catch (e) {
    if (e instanceof ConfigDumpError) throw new InputError(e.message, input.source)
    throw e
  }
}
