// Issue 12 "Keep": --samples and --sequence run in flat memory. Each count runs in a process of its own and reports
// its peak resident set (getrusage's maxRSS): twenty million draws or ten million requests must cost what a thousand
// do, within a margin far below what one byte per draw would add (20 MB). Memory, not time, is asserted.
import {describe, expect, it} from 'vitest'
import {distImport, runModuleScript} from '../../support/cli.js'

async function peakMiB(options: Record<string, unknown>): Promise<{mib: number; result: any}> {
  const script = `import {runDryRun} from ${distImport('lib/dryrun/run.js')}
const r = await runDryRun({files: [], attr: [], set: [], ...${JSON.stringify(options)}})
process.stdout.write(JSON.stringify({kib: process.resourceUsage().maxRSS, samples: r.prediction.samples, rateLimit: r.prediction.rateLimit}))`
  const {stdout} = await runModuleScript(script)
  const out = JSON.parse(stdout)
  return {mib: out.kib / 1024, result: out}
}

describe('flat memory', () => {
  it('--samples: 20,000,000 draws peak within 12 MiB of 1,000', async () => {
    const small = await peakMiB({template: 'traffic-split', samples: 1000})
    const large = await peakMiB({template: 'traffic-split', samples: 20_000_000})
    expect(Object.values(large.result.samples.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(20_000_000)
    expect(large.mib - small.mib, `${small.mib.toFixed(1)} MiB → ${large.mib.toFixed(1)} MiB`).toBeLessThan(12)
  }, 120_000)

  it('--sequence: 10,000,000 requests through the rate limiters peak within 12 MiB of 1,000', async () => {
    const small = await peakMiB({template: 'local-ratelimit', host: 'dubbo', sequence: 1000})
    const large = await peakMiB({template: 'local-ratelimit', host: 'dubbo', sequence: 10_000_000})
    expect(large.result.rateLimit.allowed + large.result.rateLimit.rejected).toBe(10_000_000)
    expect(large.mib - small.mib, `${small.mib.toFixed(1)} MiB → ${large.mib.toFixed(1)} MiB`).toBeLessThan(12)
  }, 120_000)
})
