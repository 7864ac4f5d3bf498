// Ends every run with the plain line CI reads: "N passed, N failed, N skipped".
import type {Reporter, TestModule} from 'vitest/node'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const mod of modules) {
      const tests = [...mod.children.allTests()]
      for (const t of tests) {
        const state = t.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else if (state === 'skipped') skipped++
      }
      // A file that failed to load, or whose beforeAll failed (its tests are then "skipped"), must still count as a
      // failure.
      if (mod.state() === 'failed' && !tests.some((t) => t.result().state === 'failed')) failed++
    }
    process.stdout.write(`${passed} passed, ${failed + errors.length} failed, ${skipped} skipped\n`)
  }
}
