#!/usr/bin/env node
// app-log benchmark (run `npm run build` first; it measures dist/ through bin/run.js):
//  1. lines/s over --pods N pods (default 10), side by side with `kubectl logs -l app=… --prefix -f
//     --max-log-requests=N` on the same emulator in the same run: (a) a filled backlog (200,000 lines over the pods)
//     read by a following client;
//     (b) live lines written as fast as the client takes them (the writer stays at most WINDOW lines ahead).
//  2. peak RSS of the following client over 1,000,000 live lines, with RSS samples along the way (flat memory).
// The emulator runs in a child process; every phase is bounded in time (--timeout seconds, default 60).
//   node bench/app-log.mjs [--pods 10] [--lines 1000000] [--timeout 60] [--skip-kubectl] [--v8-defaults]
// --v8-defaults adds a row for app-log with V8's own heap sizing (NODE_OPTIONS names V8's default young-generation
// limit, 16 MB semi-spaces on 64 bits, so src/lib/cli/small-heap.ts steps back): the same build with and without its
// small heap, in the same run.
import {fork, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def }
const TOTAL = arg('lines', 1_000_000), TIMEOUT_S = arg('timeout', 60)
// --pods 200: the issue's case (app-log --max-log-requests 200 vs kubectl logs -l … --prefix -f --max-log-requests=200)
const PODS = arg('pods', 10), BACKLOG = Math.round(arg('backlog', 200_000) / PODS), LIVE = 200_000, WINDOW = 20_000
const LINE = (i) => `Hello Aeraki, response from thrift-sample-server-v2-5778c757b-xn5dv/10.244.0.14 #${i}`
if (!existsSync(join(dist, 'commands/app-log.js'))) { console.error('run `npm run build` first'); process.exit(1) }

// ---- child: the emulator ------------------------------------------------------------------------------
if (process.argv[2] === '--child') {
  const {startAerakiEmulator: startEmulator} = await import(join(dist, 'lib/playground/index.js'))
  const emu = await startEmulator({bare: true, podStartDelayMs: 1})
  const {cluster, logs} = emu.state
  const podsType = cluster.type('', 'pods'), nsType = cluster.type('', 'namespaces')
  let produced = 0, upTo = 0, ns = '', pumping = false
  const pump = () => {
    // A slice at a time, so the API server keeps serving while lines are written.
    for (let k = 0; k < 2000 && produced < upTo; k++, produced++) logs.buffer(ns, `bench-${produced % PODS}`, 'app').push(LINE(produced))
    if (produced < upTo) setImmediate(pump)
    else pumping = false
  }
  process.on('message', async (m) => {
    if (m.cmd === 'namespace') {
      ns = m.ns
      produced = 0
      upTo = 0
      cluster.create(nsType, undefined, {metadata: {name: ns}})
      for (let i = 0; i < PODS; i++) cluster.create(podsType, ns, {metadata: {name: `bench-${i}`, labels: {app: 'bench'}}, spec: {containers: [{name: 'app', image: 'example/app:1'}]}})
      while (cluster.list(podsType, ns).some((p) => p.status?.phase !== 'Running')) await new Promise((r) => setTimeout(r, 10))
      if (m.backlog) {
        const t0 = new Date(Date.now() - 60_000)
        for (let j = 0; j < m.backlog; j++) for (let i = 0; i < PODS; i++) logs.buffer(ns, `bench-${i}`, 'app').push(LINE(j * PODS + i), t0)
      }
      process.send({ready: ns})
    } else if (m.cmd === 'produce') {
      upTo = Math.max(upTo, m.upTo)
      if (!pumping) { pumping = true; setImmediate(pump) }
    } else if (m.cmd === 'drop') {
      cluster.delete(nsType, undefined, m.ns)
    }
  })
  process.send({url: emu.url, kubeconfig: emu.kubeconfigYaml()})
  await new Promise(() => {})
}

// ---- parent -------------------------------------------------------------------------------------------
const child = fork(fileURLToPath(import.meta.url), ['--child', ...process.argv.slice(2)], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']})
const next = (key) => new Promise((resolve) => { const on = (m) => { if (key in m) { child.off('message', on); resolve(m) } }; child.on('message', on) })
const {kubeconfig: kubeconfigYaml} = await next('kubeconfig')
const dir = mkdtempSync(join(tmpdir(), 'aerakictl-bench-logs-'))
const kubeconfig = join(dir, 'kubeconfig')
writeFileSync(kubeconfig, kubeconfigYaml)
const kubectl = ['/usr/local/bin/kubectl', '/usr/bin/kubectl'].find(existsSync)
let phase = 0

const rssOf = (pid) => {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) * 1024
    return {rss: kb('VmRSS'), hwm: kb('VmHWM')}
  } catch { return {rss: 0, hwm: 0} }
}

/** Runs one client on a fresh namespace until it printed `expect` lines (or the timeout); live: the writer follows it. */
async function measure(tool, {backlog = 0, live = 0}) {
  const ns = `bench-${++phase}`
  child.send({cmd: 'namespace', ns, backlog})
  await next('ready')
  const expect = backlog * PODS + live
  const [cmd, args] = tool === 'kubectl'
    ? [kubectl, ['logs', '-l', 'app=bench', '-n', ns, '--prefix', '-f', `--max-log-requests=${PODS}`, '--tail=-1', '--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')]]
    : [process.execPath, [join(root, 'bin/run.js'), 'app-log', 'bench', ns, '-f', '--max-log-requests', String(PODS), '--kubeconfig', kubeconfig]]
  const env = {...process.env, NO_COLOR: '1', ...(tool === V8_DEFAULTS ? {NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=16`} : {})}
  const started = performance.now()
  const p = spawn(cmd, args, {stdio: ['ignore', 'pipe', 'pipe'], env})
  let lines = 0, first = 0, last = 0, stderr = ''
  const samples = []
  p.stderr.on('data', (c) => (stderr += c))
  const done = new Promise((resolve) => {
    p.stdout.on('data', (c) => {
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++
      const now = performance.now()
      if (!first) first = now
      last = now
      if (lines >= expect) resolve('all')
    })
    p.on('exit', () => resolve('exited'))
    setTimeout(() => resolve('timeout'), TIMEOUT_S * 1000)
  })
  // Live: keep the writer at most WINDOW lines ahead of what the client printed.
  const feeder = live ? setInterval(() => child.send({cmd: 'produce', upTo: Math.min(live, lines - backlog * PODS + WINDOW)}), 20) : undefined
  const sampler = setInterval(() => samples.push({lines, ...rssOf(p.pid)}), 250)
  if (live) child.send({cmd: 'produce', upTo: Math.min(live, WINDOW)})
  const how = await done
  clearInterval(feeder)
  clearInterval(sampler)
  const mem = rssOf(p.pid)
  p.kill('SIGINT')
  await new Promise((r) => (p.exitCode !== null ? r() : p.on('exit', r)))
  child.send({cmd: 'drop', ns})
  const seconds = (last - first) / 1000
  if (how !== 'all') console.error(`${tool}: ${how} after ${lines}/${expect} lines${stderr ? `; stderr: ${stderr.slice(0, 300)}` : ''}`)
  return {tool, lines, expect, complete: how === 'all', firstLineMs: Math.round(first - started), seconds, perSecond: Math.round(lines / Math.max(seconds, 1e-3)), peakRss: mem.hwm, samples}
}

const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`
const row = (r) => `${r.tool.padEnd(10)} ${String(r.lines).padStart(9)} lines  ${r.perSecond.toLocaleString('en').padStart(9)} lines/s  first line after ${r.firstLineMs} ms  peak RSS ${mb(r.peakRss)}${r.complete ? '' : '  (INCOMPLETE)'}`
const V8_DEFAULTS = 'app-log/v8'
const tools = [...(kubectl && !process.argv.includes('--skip-kubectl') ? ['kubectl'] : []), 'app-log', ...(process.argv.includes('--v8-defaults') ? [V8_DEFAULTS] : [])]
if (!tools.includes('kubectl')) console.log('kubectl not found (or --skip-kubectl): app-log alone')

try {
  console.log(`1a. backlog: ${PODS} pods × ${BACKLOG.toLocaleString('en')} lines, read by a following client`)
  for (const t of tools) console.log('   ' + row(await measure(t, {backlog: BACKLOG})))
  console.log(`1b. live: ${LIVE.toLocaleString('en')} lines over ${PODS} pods, written as fast as the client takes them`)
  for (const t of tools) console.log('   ' + row(await measure(t, {live: LIVE})))
  console.log(`2. memory: ${TOTAL.toLocaleString('en')} live lines over ${PODS} pods`)
  for (const t of tools) {
    const r = await measure(t, {live: TOTAL})
    console.log('   ' + row(r))
    const at = (f) => r.samples.find((s) => s.lines >= f * TOTAL) ?? r.samples.at(-1)
    console.log(`   ${''.padEnd(9)} RSS at 10% ${mb(at(0.1)?.rss ?? 0)}, 50% ${mb(at(0.5)?.rss ?? 0)}, 90% ${mb(at(0.9)?.rss ?? 0)}`)
  }
} finally {
  child.kill()
  rmSync(dir, {recursive: true, force: true})
}
