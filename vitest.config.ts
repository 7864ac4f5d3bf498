import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ once (or fails) before any file runs: see test/support/global-setup.ts.
    globalSetup: ['./test/support/global-setup.ts'],
    // Child processes, not threads: the in-process runCli swaps process.stdout/stdin/exit and chdir()s.
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
