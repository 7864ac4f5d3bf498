// The one reader of a FILE-or-`-` argument: standard input for `-`, else the file, with errors that name it.
// Kept apart from read.ts so callers that only need this do not load the YAML parser.
import {readFile} from 'node:fs/promises'
import {InputError} from './errors.js'

/** Standard input as bytes. */
export async function readStdinBytes(): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Standard input as text. */
export async function readStdin(): Promise<string> {
  return (await readStdinBytes()).toString('utf8')
}

export interface Input {
  text: string
  /** `<stdin>` or the path, for messages. */
  source: string
  bytes: number
}

/** Reads PATH, or standard input for `-`; a file that cannot be read is an InputError naming it. */
export async function readInput(path: string, stdin: () => Promise<Buffer> = readStdinBytes): Promise<Input> {
  const source = path === '-' ? '<stdin>' : path
  let bytes: Buffer
  try {
    bytes = path === '-' ? await stdin() : await readFile(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new InputError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : (e as Error).message, source)
  }
  return {text: bytes.toString('utf8'), source, bytes: bytes.length}
}
