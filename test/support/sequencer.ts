// File order for the two workers: the files that take longest start first, so that no long file starts when the
// other worker has nothing left (the suite's wall time is then the longest file's tail, not the sum). vitest orders
// by the durations it cached from the last run, and on a fresh clone (no cache) by file size, which puts small
// but slow files such as the npm pack test last. The files named here start first, in this order; measured on the
// 2-core machine (idle): each takes 5-17 s.
import {BaseSequencer, type TestSpecification} from 'vitest/node'

const SLOW_FIRST = [
  'test/commands/examples.test.ts', // every --help example against a playground: ~60 s on the loaded 2-core machine
  'test/lib/re2/differential.test.ts',
  'test/commands/sidecar-config.test.ts',
  'test/packaging/pack.test.ts',
  'test/commands/install.test.ts',
  'test/lib/resources/hostile-input.test.ts',
  'test/commands/completion.test.ts',
  'test/commands/app-log.test.ts',
  'test/lib/install/install.test.ts',
  'test/kubectl/kubectl.test.ts',
  'test/commands/smoke.test.ts',
]

export default class SlowFirstSequencer extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex(p => f.moduleId.endsWith(`/${p}`))
      return i < 0 ? SLOW_FIRST.length : i
    }
    // Array.prototype.sort is stable: the other files keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b))
  }
}
