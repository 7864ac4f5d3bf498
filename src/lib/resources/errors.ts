/** Bad input from the user: a file, line, flag or field is named, and the CLI exits 2. */
export class InputError extends Error {
  readonly exitCode = 2
  constructor(message: string, readonly location?: string) {
    super(location ? `${location}: ${message}` : message)
    this.name = 'InputError'
  }
}
