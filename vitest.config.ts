import {availableParallelism} from 'node:os'
import {defineConfig} from 'vitest/config'
import SlowFirstSequencer from './test/support/sequencer.js'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once (or fails) before any file runs: see test/support/global-setup.ts.
    globalSetup: ['./test/support/global-setup.ts'],
    // Child processes, not threads: the in-process runCli swaps process.stdout/stdin/exit and chdir()s.
    pool: 'forks',
    // Two workers even on two cores (vitest's default is cores - 1, which is one: the whole suite in one process, one
    // file after the other), and each worker keeps its processes and modules from file to file (isolate: false)
    // instead of starting a fresh process per file: that start and the re-import of oclif, client-node and the
    // emulator cost more than half of the suite's time. A file that needs modules of its own resets them itself
    // (test/lib/re2/lazy.test.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    isolate: false,
    sequence: {sequencer: SlowFirstSequencer},
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
