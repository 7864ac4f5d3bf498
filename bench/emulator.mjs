#!/usr/bin/env node
// Emulator benchmark (run `npm run build` first; it measures dist/):
//  1. list requests/s of a 1,000-pod namespace (JSON and kubectl's Table form), keep-alive, 4 in flight
//  2. log lines/s from 50 pods: reading filled buffers, and following 50 streams while they are written
//  3. the emulator process's memory
//  4. cold start: `kubectl get pods` vs the aerakictl path that reads the cluster, median of alternating runs
// The emulator runs in a child process so the client's work does not count against it.
//   node bench/emulator.mjs [--runs 15] [--seconds 4]
import {execFile, fork} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {Agent, request} from 'node:https'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// The compiled library (default dist/; --dist DIR measures another build, e.g. `tsc --outDir DIR`).
const distIdx = process.argv.indexOf('--dist')
const dist = distIdx > 0 ? process.argv[distIdx + 1] : join(root, 'dist')
const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : def }
const RUNS = arg('runs', 15), SECONDS = arg('seconds', 4)
// Lines per pod per 10 ms tick while following (default 2 = 200 lines/s per pod, 10,000 lines/s in all).
const PER_TICK = arg('per-tick', 2)
if (!existsSync(join(dist, 'lib/playground/index.js'))) { console.error('run `npm run build` first'); process.exit(1) }

// ---- child: the emulator ----------------------------------------------------------------------------
if (process.argv[2] === '--child') {
  const {startAerakiEmulator: startEmulator} = await import(join(dist, 'lib/playground/index.js'))
  const emu = await startEmulator({bare: true, podStartDelayMs: 1})
  const {cluster, logs} = emu.state
  const pods = cluster.type('', 'pods'), ns = cluster.type('', 'namespaces')
  cluster.create(ns, undefined, {metadata: {name: 'bench'}})
  cluster.create(ns, undefined, {metadata: {name: 'logs'}})
  for (let i = 0; i < 1000; i++) {
    cluster.create(pods, 'bench', {metadata: {name: `bench-app-${String(i).padStart(4, '0')}-7d9c5b8f6c-x2k4p`, labels: {app: `bench-app-${i % 10}`, version: i % 2 ? 'v1' : 'v2'}},
      spec: {containers: [{name: 'app', image: 'example/app:1', ports: [{containerPort: 8080}]}, {name: 'istio-proxy', image: 'example/proxy:1'}]}})
  }
  for (let i = 0; i < 50; i++) cluster.create(pods, 'logs', {metadata: {name: `log-${i}`}, spec: {containers: [{name: 'app', image: 'example/app:1'}]}})
  cluster.create(ns, undefined, {metadata: {name: 'mesh', labels: {'istio-injection': 'enabled'}}})
  cluster.create(pods, 'mesh', {metadata: {name: 'thrift-sample-client-6f9c7d8b5-x2k4p', labels: {app: 'thrift-sample-client'}}, spec: {containers: [{name: 'thrift-sample-client', image: 'example/app:1'}]}})
  while (cluster.list(pods).some((p) => p.status?.phase !== 'Running')) await new Promise((r) => setTimeout(r, 20))
  let writer
  process.on('message', (m) => {
    if (m.cmd === 'fill') {
      const t0 = new Date(Date.now() - 60_000)
      for (let i = 0; i < 50; i++) { const b = logs.buffer('logs', `log-${i}`, 'app'); for (let j = 0; j < m.lines; j++) b.push(`Hello Aeraki, response from thrift-sample-server-v1-5c8476684-842l6/10.244.0.${j % 250} #${j}`, t0) }
      process.send({done: 'fill'})
    } else if (m.cmd === 'write') {
      // m.perTick lines per pod every 10 ms for m.ms milliseconds
      let n = 0
      const end = Date.now() + m.ms
      writer = setInterval(() => {
        for (let i = 0; i < 50; i++) { const b = logs.buffer('logs', `log-${i}`, 'app'); for (let j = 0; j < m.perTick; j++) b.push(`live line ${n++}`) }
        if (Date.now() > end) { clearInterval(writer); if (process.connected) process.send({done: 'write', written: n}) }
      }, 10)
    } else if (m.cmd === 'mem') {
      global.gc?.()
      const u = process.memoryUsage()
      process.send({mem: {rss: u.rss, heapUsed: u.heapUsed}})
    } else if (m.cmd === 'stop') {
      emu.close().then(() => process.exit(0))
    }
  })
  process.on('disconnect', () => emu.close().then(() => process.exit(0)))
  process.send({url: emu.url, kubeconfig: emu.kubeconfigYaml(), token: emu.token, ca: emu.caPem})
} else {
  await main()
}

function ask(child, msg, key) {
  return new Promise((resolve) => {
    const on = (m) => { if (m[key] !== undefined || m.done === key) { child.off('message', on); resolve(m) } }
    child.on('message', on)
    child.send(msg)
  })
}

function get(ctx, path, accept = 'application/json') {
  return new Promise((resolve, reject) => {
    const req = request(`${ctx.url}${path}`, {agent: ctx.agent, headers: {authorization: `Bearer ${ctx.token}`, accept}}, (res) => {
      let bytes = 0
      res.on('data', (c) => (bytes += c.length))
      res.on('end', () => resolve(bytes))
    })
    req.on('error', reject)
    req.end()
  })
}

async function rate(fn, seconds, inFlight) {
  let count = 0, bytes = 0
  const end = Date.now() + seconds * 1000
  await Promise.all(Array.from({length: inFlight}, async () => { while (Date.now() < end) { const b = await fn(); bytes += b; count++ } }))
  return {perSecond: count / seconds, bytes: bytes / Math.max(count, 1)}
}

function followAll(ctx, onLines) {
  const reqs = []
  for (let i = 0; i < 50; i++) {
    reqs.push(new Promise((resolve) => {
      const req = request(`${ctx.url}/api/v1/namespaces/logs/pods/log-${i}/log?follow=true&tailLines=0`, {agent: ctx.agent, headers: {authorization: `Bearer ${ctx.token}`}}, (res) => {
        res.on('data', (c) => onLines(c.toString().split('\n').length - 1))
        res.on('close', resolve)
      })
      req.on('error', () => resolve())
      req.end()
      reqs.abort = reqs.abort ?? []
      reqs.abort.push(() => req.destroy())
    }))
  }
  return () => { for (const a of reqs.abort) a() }
}

function median(xs) { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2 }

async function timeRun(file, args, env) {
  const t0 = process.hrtime.bigint()
  await promisify(execFile)(file, args, {env: {...process.env, ...env}})
  return Number(process.hrtime.bigint() - t0) / 1e6
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ['--child', '--dist', dist], {execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc']})
  const info = await new Promise((resolve) => child.once('message', resolve))
  const ctx = {...info, agent: new Agent({keepAlive: true, ca: info.ca, maxSockets: 8})}
  const followCtx = {...info, agent: new Agent({keepAlive: false, ca: info.ca})}
  const dir = mkdtempSync(join(tmpdir(), 'aerakictl-bench-'))
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(kubeconfig, info.kubeconfig)
  const out = {}
  try {
    const list = await rate(() => get(ctx, '/api/v1/namespaces/bench/pods'), SECONDS, 4)
    const table = await rate(() => get(ctx, '/api/v1/namespaces/bench/pods', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'), SECONDS, 4)
    out.list = {requestsPerSecond: +list.perSecond.toFixed(1), responseKiB: Math.round(list.bytes / 1024), tableRequestsPerSecond: +table.perSecond.toFixed(1), tableKiB: Math.round(table.bytes / 1024)}
    console.log(`list 1,000 pods (JSON): ${out.list.requestsPerSecond} req/s, ${out.list.responseKiB} KiB each; as Table: ${out.list.tableRequestsPerSecond} req/s, ${out.list.tableKiB} KiB`)

    const LINES = 20_000
    await ask(child, {cmd: 'fill', lines: LINES}, 'fill')
    const t0 = Date.now()
    let bytes = 0
    await Promise.all(Array.from({length: 50}, (_, i) => get(ctx, `/api/v1/namespaces/logs/pods/log-${i}/log?tailLines=${LINES}`).then((b) => (bytes += b))))
    const readSecs = (Date.now() - t0) / 1000
    out.logsRead = {pods: 50, lines: 50 * LINES, linesPerSecond: Math.round(50 * LINES / readSecs), MiBPerSecond: +(bytes / readSecs / 1048576).toFixed(1)}
    console.log(`logs, 50 pods x ${LINES} buffered lines read at once: ${out.logsRead.linesPerSecond.toLocaleString('en')} lines/s (${out.logsRead.MiBPerSecond} MiB/s)`)

    let received = 0
    const stop = followAll(followCtx, (n) => (received += n))
    await new Promise((r) => setTimeout(r, 300))
    const w0 = Date.now()
    const {written} = await ask(child, {cmd: 'write', perTick: PER_TICK, ms: SECONDS * 1000}, 'write')
    for (let i = 0; i < 100 && received < written; i++) await new Promise((r) => setTimeout(r, 20))
    const followSecs = (Date.now() - w0) / 1000
    stop()
    out.logsFollow = {pods: 50, written, received, linesPerSecond: Math.round(received / followSecs)}
    console.log(`logs, 50 followed streams written at ${PER_TICK * 100} lines/s per pod: ${out.logsFollow.linesPerSecond.toLocaleString('en')} lines/s delivered (${received}/${written} lines)`)

    const {mem} = await ask(child, {cmd: 'mem'}, 'mem')
    out.memory = {rssMiB: +(mem.rss / 1048576).toFixed(1), heapUsedMiB: +(mem.heapUsed / 1048576).toFixed(1)}
    console.log(`emulator memory with 1,050 pods and ${(50 * LINES).toLocaleString('en')} log lines: rss ${out.memory.rssMiB} MiB, heap ${out.memory.heapUsedMiB} MiB`)

    // Cold start: the simplest cluster-reading aerakictl command next to kubectl, against the same emulator.
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
    const env = {KUBECONFIG: kubeconfig, OCLIF_SKIP_NEW_VERSION_CHECK: 'true', NO_COLOR: '1'}
    const cacheDir = join(dir, 'kcache')
    const kubeScript = `const {KubeClient, listPods} = await import(${JSON.stringify(join(dist, 'lib/kube/index.js'))}); const k = KubeClient.create({namespace: 'mesh'}); const p = await listPods(k); k.close(); console.log(p.length)`
    const pod = 'thrift-sample-client-6f9c7d8b5-x2k4p'
    const candidates = [
      ['kubectl get pods', 'kubectl', ['get', 'pods', '-n', 'mesh', `--cache-dir=${cacheDir}`]],
      ['node: dist/lib/kube listPods via client-node (no oclif)', process.execPath, ['--input-type=module', '-e', kubeScript]],
      ['aerakictl playground --help (oclif only)', process.execPath, [join(root, 'bin/run.js'), 'playground', '--help']],
    ]
    candidates.push(['aerakictl route analyze --from-cluster -n mesh', process.execPath, [join(root, 'bin/run.js'), 'route', 'analyze', '--from-cluster', '-n', 'mesh']])
    if (manifest.commands['sidecar-config']) {
      candidates.push(['kubectl exec pilot-agent request GET config_dump', 'kubectl', ['exec', '-n', 'mesh', pod, '-c', 'istio-proxy', `--cache-dir=${cacheDir}`, '--', 'pilot-agent', 'request', 'GET', 'config_dump']])
      candidates.push(['aerakictl sidecar-config client mesh -o json', process.execPath, [join(root, 'bin/run.js'), 'sidecar-config', 'client', 'mesh', '-o', 'json']])
    }
    const haveKubectl = await promisify(execFile)('kubectl', ['version', '--client']).then(() => true, () => false)
    const runs = candidates.filter(([name]) => haveKubectl || !name.startsWith('kubectl'))
    const times = Object.fromEntries(runs.map(([name]) => [name, []]))
    for (const [, file, args] of runs) await timeRun(file, args, env).catch((e) => { throw new Error(`${file} ${args.join(' ')}: ${e.message}`) }) // warm-up
    for (let i = 0; i < RUNS; i++) for (const [name, file, args] of runs) times[name].push(await timeRun(file, args, env))
    out.coldStart = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, +median(v).toFixed(1)]))
    console.log(`cold start, median of ${RUNS} alternating runs (ms):`)
    for (const [k, v] of Object.entries(out.coldStart)) console.log(`  ${k.padEnd(48)} ${v}`)
    console.log(JSON.stringify(out))
  } finally {
    ctx.agent.destroy()
    child.send({cmd: 'stop'})
    rmSync(dir, {recursive: true, force: true})
  }
}
