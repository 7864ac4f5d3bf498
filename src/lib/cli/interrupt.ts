// Ctrl-C and SIGTERM for commands that stop cleanly: the first signal aborts (the command finishes its report and
// exits 130 for Ctrl-C), a second one exits 130 at once. A closed stdout pipe (`| head`) may abort quietly as well.
import {ExitCode} from './exit-codes.js'

export interface Interrupt {
  signal: AbortSignal
  /** True once SIGINT (not SIGTERM, not a closed pipe) stopped the command: its exit code becomes 130. */
  readonly interrupted: boolean
  dispose(): void
}

export function onInterrupt(opts: {stopOnClosedPipe?: boolean} = {}): Interrupt {
  const ctl = new AbortController()
  let interrupted = false
  const handler = (signal: NodeJS.Signals) => {
    if (ctl.signal.aborted) process.exit(ExitCode.INTERRUPTED)
    interrupted = signal === 'SIGINT'
    ctl.abort()
  }
  const onPipeError = (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') ctl.abort() }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  if (opts.stopOnClosedPipe) process.stdout.on('error', onPipeError)
  return {
    signal: ctl.signal,
    get interrupted() { return interrupted },
    dispose() {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
      // The pipe listener stays: a write after this (the last flush) may still meet EPIPE, which must not throw.
    },
  }
}
