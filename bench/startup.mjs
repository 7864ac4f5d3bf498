#!/usr/bin/env node
// Cold start side by side in one run, alternating so machine noise hits both alike:
//   kubectl version --client  vs  aerakictl --version, and  aerakictl route dry-run (embedded demo).
// Run after `npm run build`:  node bench/startup.mjs [runs]
import {execFileSync, spawnSync} from 'node:child_process'
import {performance} from 'node:perf_hooks'
import {fileURLToPath} from 'node:url'

const runs = Number(process.argv[2] ?? 15)
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const hasKubectl = spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status === 0

const commands = {
  'kubectl version --client': hasKubectl ? ['kubectl', ['version', '--client']] : null,
  'aerakictl --version': [process.execPath, [bin, '--version']],
  'aerakictl route dry-run': [process.execPath, [bin, 'route', 'dry-run']],
  'aerakictl route dry-run --template traffic-split -o json': [process.execPath, [bin, 'route', 'dry-run', '--template', 'traffic-split', '-o', 'json']],
  'node -e 0 (floor)': [process.execPath, ['-e', '0']],
}
const times = Object.fromEntries(Object.keys(commands).map(k => [k, []]))
const env = {...process.env, NO_COLOR: '1'}
for (const [k, c] of Object.entries(commands)) if (c) execFileSync(c[0], c[1], {env, stdio: 'ignore'}) // warm the file cache
for (let i = 0; i < runs; i++) {
  for (const [k, c] of Object.entries(commands)) {
    if (!c) continue
    const t0 = performance.now()
    execFileSync(c[0], c[1], {env, stdio: 'ignore'})
    times[k].push(performance.now() - t0)
  }
}
const median = a => {
  const s = [...a].sort((x, y) => x - y)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const base = hasKubectl ? median(times['kubectl version --client']) : NaN
const rows = Object.entries(times).filter(([, t]) => t.length).map(([k, t]) => ({command: k, 'median ms': median(t).toFixed(0), 'min ms': Math.min(...t).toFixed(0), 'vs kubectl': hasKubectl ? `${(median(t) / base).toFixed(2)}x` : 'n/a'}))
console.log(`Cold start, ${runs} alternating runs each, median (targets: --version within 2.5x of kubectl, dry-run within 3x)`)
console.table(rows)
if (!hasKubectl) console.log('kubectl not found: no baseline')
