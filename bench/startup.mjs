#!/usr/bin/env node
// Start-up and cluster round trips, paired with the kubectl command a user would type instead (issue 15's table).
// Every row runs A B A B … (aerakictl, then its anchor, alternating which goes first), and reports the median of
// the per-pair ratios, which stays meaningful on a loaded machine, plus each side's median time and peak RSS
// (GNU time's maximum resident set size). The CPU ratio (user+system, from GNU time) is printed beside it: on a
// machine shared with other work it moves less than wall time (GNU time reports 10 ms steps). The bench starts its own playground (`aerakictl playground`, then
// `aerakictl install demo`) and points both tools at it; kubectl gets its own discovery cache, warmed once.
//   node bench/startup.mjs [--runs 11] [--bin path/to/bin/run.js] [--before path/to/other/bin/run.js] [--only substr]
// --before adds a third column: the same rows through another build (e.g. a copy of main before a change),
// paired with the anchor in the same rounds, so before and after are measured under the same load.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const opt = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def }
const RUNS = Number(opt('runs', 11))
const BIN = opt('bin', fileURLToPath(new URL('../bin/run.js', import.meta.url)))
const BEFORE = opt('before', undefined)
const ONLY = opt('only', undefined)
if (spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status !== 0) { console.error('kubectl is needed for the anchors'); process.exit(1) }
if (!existsSync('/usr/bin/time')) { console.error('GNU time (/usr/bin/time, Debian package "time") is needed for peak RSS'); process.exit(1) }

const dir = mkdtempSync(join(tmpdir(), 'aerakictl-startup-'))
const kubeconfig = join(dir, 'playground.kubeconfig')
const kcache = join(dir, 'kubectl-cache')
const env = {...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1', OCLIF_SKIP_NEW_VERSION_CHECK: 'true', XDG_CACHE_HOME: join(dir, 'xdg-cache')}
delete env.FORCE_COLOR

/**
 * Runs one command under GNU time. Without `firstLine` it waits for the exit; with it, the time is taken at the
 * first complete stdout line and the process group is then interrupted (GNU time ignores SIGINT and still reports).
 */
function run([file, args], {firstLine = false} = {}) {
  return new Promise((resolve, reject) => {
    const rss = join(dir, `rss-${process.hrtime.bigint()}`)
    const t0 = process.hrtime.bigint()
    const child = spawn('/usr/bin/time', ['-q', '-f', '%M %U %S', '-o', rss, file, ...args], {env, stdio: ['ignore', 'pipe', 'pipe'], detached: firstLine})
    let ms, out = '', err = ''
    child.stdout.on('data', (c) => {
      out += c
      if (firstLine && ms === undefined && out.includes('\n')) {
        ms = Number(process.hrtime.bigint() - t0) / 1e6
        process.kill(-child.pid, 'SIGINT')
      }
      if (out.length > 1e6) out = out.slice(-1000)
    })
    child.stderr.on('data', (c) => (err += c))
    child.on('error', reject)
    child.on('close', (code) => {
      ms ??= Number(process.hrtime.bigint() - t0) / 1e6
      let kib = NaN, cpu = NaN
      try {
        const [m, u, sys] = readFileSync(rss, 'utf8').trim().split('\n').pop().split(' ').map(Number)
        kib = m
        cpu = (u + sys) * 1000
        rmSync(rss)
      } catch {}
      if (!firstLine && code !== 0) return reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${err.slice(-500)}`))
      if (firstLine && !out.includes('\n')) return reject(new Error(`${file} ${args.join(' ')} printed no line: ${err.slice(-500)}`))
      resolve({ms, mib: kib / 1024, cpu})
    })
  })
}

/**
 * NODE_EXTRA_CA_CERTS makes every Node process load Node's root certificates and that file as it starts (node.cc,
 * before any JavaScript), which kubectl never pays; without it, a cluster command pays for the root certificates at its
 * first TLS context instead (node_crypto NewRootCertStore; ~23 ms here). The bench says how much the variable costs
 * a bare `node -e 0` here (median of 7 pairs), so rows measured with and without it can be told apart.
 */
function extraCaCertsNote() {
  const ms = (env) => { const t = performance.now(); spawnSync(process.execPath, ['-e', '0'], {env}); return performance.now() - t }
  const without = {...process.env}
  delete without.NODE_EXTRA_CA_CERTS
  const diffs = Array.from({length: 7}, () => ms(process.env) - ms(without))
  return `NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS}: each Node start loads it, +${Math.round(median(diffs))} ms for \`node -e 0\` here (kubectl ignores it); \`env -u NODE_EXTRA_CA_CERTS node bench/startup.mjs\` measures without it`
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2 }
const node = (bin, ...args) => [process.execPath, [bin, ...args]]
const kubectl = (...args) => ['kubectl', [...args, `--cache-dir=${kcache}`]]

async function startPlayground() {
  const pg = spawn(process.execPath, [BIN, 'playground', '--kubeconfig', kubeconfig, '--speed', '5'], {env, stdio: ['ignore', 'ignore', 'inherit']})
  for (let i = 0; i < 600 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 50))
  if (!existsSync(kubeconfig)) throw new Error('the playground did not write its kubeconfig within 30 s')
  const inst = spawnSync(process.execPath, [BIN, 'install', 'demo'], {env, encoding: 'utf8'})
  if (inst.status !== 0) throw new Error(`install demo failed: ${inst.stderr}`)
  return pg
}

const pg = await startPlayground()
try {
  const pods = JSON.parse(spawnSync('kubectl', ['get', 'pods', '-n', 'meta-thrift', '-o', 'json', `--cache-dir=${kcache}`], {env, encoding: 'utf8'}).stdout).items
  const client = pods.find((p) => p.metadata.name.includes('client')).metadata.name
  // the client logs a line per request; wait for a few so --tail 3 has something to print
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('kubectl', ['logs', '-n', 'meta-thrift', client, '--tail', '3', `--cache-dir=${kcache}`], {env, encoding: 'utf8'})
    if (r.stdout.split('\n').length > 3) break
    await new Promise((r) => setTimeout(r, 100))
  }
  const rows = [
    ['--version (fast path)', (b) => node(b, '--version'), kubectl('version', '--client')],
    ['route dry-run (embedded demo)', (b) => node(b, 'route', 'dry-run'), kubectl('version', '--client')],
    ['route analyze --from-cluster -n meta-thrift', (b) => node(b, 'route', 'analyze', '--from-cluster', '-n', 'meta-thrift'), kubectl('get', 'pods', '-n', 'meta-thrift')],
    ['app-log client meta-thrift --tail 3', (b) => node(b, 'app-log', 'client', 'meta-thrift', '--tail', '3'), kubectl('logs', '-n', 'meta-thrift', `pod/${client}`, '--tail', '3')],
    ['app-log client meta-thrift -f --tail 1 (first line)', (b) => node(b, 'app-log', 'client', 'meta-thrift', '-f', '--tail', '1'), kubectl('logs', '-n', 'meta-thrift', `pod/${client}`, '-f', '--tail', '1'), true],
    ['sidecar-config client meta-thrift -o json', (b) => node(b, 'sidecar-config', 'client', 'meta-thrift', '-o', 'json'), kubectl('exec', '-n', 'meta-thrift', client, '-c', 'istio-proxy', '--', 'pilot-agent', 'request', 'GET', 'config_dump')],
  ].filter(([name]) => !ONLY || name.includes(ONLY))
  console.log(`${RUNS} pairs per row; ${cpus().length} CPUs, load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  if (process.env.NODE_EXTRA_CA_CERTS) console.log(extraCaCertsNote())
  const table = []
  for (const [name, mk, anchor, firstLine] of rows) {
    const sides = {after: mk(BIN), ...(BEFORE ? {before: mk(BEFORE)} : {})}
    const opts = {firstLine: Boolean(firstLine)}
    for (const c of [...Object.values(sides), anchor]) await run(c, opts) // warm-up (file cache, code cache, kubectl cache)
    const t = {anchor: [], after: [], before: []}, m = {anchor: [], after: [], before: []}, ratio = {after: [], before: []}, cpuRatio = {after: [], before: []}
    for (let i = 0; i < RUNS; i++) {
      for (const [side, cmd] of Object.entries(sides)) {
        const pair = i % 2 ? [['anchor', anchor], [side, cmd]] : [[side, cmd], ['anchor', anchor]]
        const r = {}
        for (const [k, c] of pair) { r[k] = await run(c, opts); t[k].push(r[k].ms); m[k].push(r[k].mib) }
        ratio[side].push(r[side].ms / r.anchor.ms)
        cpuRatio[side].push(r[side].cpu / Math.max(r.anchor.cpu, 10))
      }
    }
    const row = {command: name, 'aerakictl ms': median(t.after).toFixed(0), 'anchor ms': median(t.anchor).toFixed(0), ratio: `${median(ratio.after).toFixed(2)}x`}
    row['cpu ratio'] = `${median(cpuRatio.after).toFixed(2)}x`
    if (BEFORE) Object.assign(row, {'before ms': median(t.before).toFixed(0), 'before ratio': `${median(ratio.before).toFixed(2)}x`, 'before cpu ratio': `${median(cpuRatio.before).toFixed(2)}x`})
    Object.assign(row, {'aerakictl MiB': Math.max(...m.after).toFixed(0), ...(BEFORE ? {'before MiB': Math.max(...m.before).toFixed(0)} : {}), 'anchor MiB': Math.max(...m.anchor).toFixed(0)})
    table.push(row)
    console.log(`${name}: ${row.ratio}${BEFORE ? ` (before ${row['before ratio']})` : ''}`)
  }
  console.log('anchors: --version and dry-run vs `kubectl version --client`; analyze vs `kubectl get pods -n meta-thrift`; app-log vs `kubectl logs`; sidecar-config vs `kubectl exec … pilot-agent request GET config_dump`')
  console.table(table)
  console.log(`load average at end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
} finally {
  pg.kill('SIGINT')
  await new Promise((r) => pg.once('close', r))
  rmSync(dir, {recursive: true, force: true})
}
