// A saved dump (`--file PATH`, `-` for stdin), e.g. from `kubectl exec … curl 127.0.0.1:15000/config_dump > dump.json`.
import {readFile} from 'node:fs/promises'
import {ConfigDumpError, parseConfigDump, type ConfigDump} from '../dump/index.js'
import {InputError} from '../resources/errors.js'

async function readAllStdin(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export async function readConfigDumpFile(path: string, stdin: () => Promise<Buffer> = readAllStdin): Promise<{dump: ConfigDump; source: string; bytes: number}> {
  const source = path === '-' ? '<stdin>' : path
  let bytes: Buffer
  try {
    bytes = path === '-' ? await stdin() : await readFile(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new InputError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a dump file' : (e as Error).message, source)
  }
  const size = bytes.length
  try {
    // The text is dropped as soon as it is parsed: a 50 MB dump should not be held twice.
    return {dump: parseConfigDump(bytes.toString('utf8')), source, bytes: size}
  } catch (e) {
    if (e instanceof ConfigDumpError) throw new InputError(e.message, source)
    throw e
  }
}
