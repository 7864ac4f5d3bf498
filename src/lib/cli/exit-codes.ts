// The one table of exit codes every command uses, its help text, and how an error maps to a code.
// 79 is istioctl analyze's "analyzer found issues" code (istio/istio, istioctl/pkg/analyze/analyze.go,
// FoundIssueString/AnalyzerFoundIssuesError); 130 is the shell's 128+SIGINT.
import {InputError} from '../resources/errors.js'
import {KubeError} from '../kube/errors.js'

export const ExitCode = {
  OK: 0,
  UNEXPECTED: 1,
  BAD_INPUT: 2,
  CHECK_FAILED: 3,
  CLUSTER: 4,
  FINDINGS: 79,
  INTERRUPTED: 130,
} as const

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** The table, in order, with what each code means for every command. */
export const EXIT_CODES: ReadonlyArray<{code: ExitCode; name: keyof typeof ExitCode; meaning: string}> = [
  {code: 0, name: 'OK', meaning: 'done'},
  {code: 1, name: 'UNEXPECTED', meaning: 'unexpected failure (a bug: please report it with the message)'},
  {code: 2, name: 'BAD_INPUT', meaning: 'bad input or flags (the message names the file, line, field or flag)'},
  {code: 3, name: 'CHECK_FAILED', meaning: 'a check failed (route test, route verify, --fail-under, a rollout not ready in time)'},
  {code: 4, name: 'CLUSTER', meaning: 'the cluster or the sidecar could not be reached or refused (no kubeconfig, connection, TLS, 401/403, timeouts)'},
  {code: 79, name: 'FINDINGS', meaning: 'findings at or above the threshold (route analyze, apply)'},
  {code: 130, name: 'INTERRUPTED', meaning: 'interrupted (Ctrl-C), prompts included'},
]

/**
 * The rows of the EXIT CODES help section: the whole table, a command's own wording of a code (`specific`)
 * in place of the general one.
 */
export function exitCodeRows(specific: Record<number, string> = {}): Array<[string, string]> {
  return EXIT_CODES.map(e => [String(e.code), specific[e.code] ?? e.meaning])
}

/** The table as Markdown, for the README (a test checks that the README holds it). */
export function exitCodesMarkdown(): string {
  return ['| code | meaning |', '|---|---|', ...EXIT_CODES.map(e => `| ${e.code} | ${e.meaning} |`)].join('\n')
}

/** Ctrl-C (or SIGTERM) stopped the command; exits 130. */
export class InterruptedError extends Error {
  readonly exitCode = ExitCode.INTERRUPTED
  constructor(message = 'interrupted') {
    super(message)
    this.name = 'InterruptedError'
  }
}

/** A typed result that is not a success: printed like one, then the command exits with `exitCode`. */
export interface ErrorDocument {
  error: {code: string; message: string; exitCode: ExitCode}
}

/**
 * What an error means for the exit code, and its machine-readable code for `--json`.
 * `oclif` parse errors (unknown flag, bad option, missing argument) are bad input.
 */
export function classifyError(err: unknown): ErrorDocument['error'] & {expected: boolean} {
  const e = err as Error & {exitCode?: number; oclif?: {exit?: number}; code?: unknown}
  const message = e?.message ?? String(err)
  if (err instanceof InputError) return {code: 'BAD_INPUT', message, exitCode: ExitCode.BAD_INPUT, expected: true}
  // A config dump that is not one, or holds a value the proxy would refuse (dump/parse.ts ConfigDumpError, told by
  // name so that every command does not load the dump reader): the message names the path.
  if (e?.name === 'ConfigDumpError') return {code: 'BAD_INPUT', message, exitCode: ExitCode.BAD_INPUT, expected: true}
  if (err instanceof InterruptedError || e?.exitCode === ExitCode.INTERRUPTED) return {code: 'INTERRUPTED', message, exitCode: ExitCode.INTERRUPTED, expected: true}
  if (err instanceof KubeError) {
    const code = `CLUSTER_${err.kind.toUpperCase().replace(/-/g, '_')}`
    // The API server refusing an object as invalid (400/422) is bad input; everything else is the cluster's side.
    const refusedAsInvalid = err.kind === 'invalid' && (err.status === 400 || err.status === 422)
    return {code, message, exitCode: refusedAsInvalid ? ExitCode.BAD_INPUT : ExitCode.CLUSTER, expected: true}
  }
  if (e?.oclif?.exit === 2 || e?.exitCode === 2) return {code: 'BAD_FLAGS', message, exitCode: ExitCode.BAD_INPUT, expected: true}
  return {code: 'UNEXPECTED', message, exitCode: ExitCode.UNEXPECTED, expected: false}
}
