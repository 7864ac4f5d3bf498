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
    // Four workers on two cores (vitest's default is cores - 1, which is one: the whole suite one file after the
    // other). Many files spend much of their time waiting for emulated pods, log lines and child processes, so more
    // workers than cores fill the gaps. Measured idle on the 2-core machine, the build done: 3 workers 86.8 s,
    // 4 workers 81.7 s (earlier, with the build: 2 workers 133 s, 3 workers 109 s). bench/suite-under-load.sh checks
    // that it stays green with one core busy.
    // Each worker keeps its process and modules from file to file (isolate: false) instead of starting a fresh process
    // per file and re-importing oclif, client-node and the emulator. A file that needs modules of its own resets them
    // itself (test/lib/re2/lazy.test.ts).
    maxWorkers: Math.max(4, availableParallelism()),
    isolate: false,
    sequence: {sequencer: SlowFirstSequencer},
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
