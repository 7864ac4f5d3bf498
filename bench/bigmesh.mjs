#!/usr/bin/env node
// A big mesh: the playground seeded with S Services, S MetaRouters, S DestinationRules and 10*S pods over 100
// namespaces (S = 2,000 at scale 1), then, against that one API server, paired runs of
//   aerakictl route analyze --from-cluster -A
//   aerakictl route dry-run --from-cluster --host <one service>
//   kubectl get metarouters,destinationrules,services,serviceentries -A -o json      (the anchor; also reads in chunks of 500)
// with wall time (median, and median of per-pair ratios) and peak RSS of each, for every scale given (growth curve).
// Run after `npm run build`:   node bench/bigmesh.mjs [--scales 0.1,1] [--runs 3] [--pods-anchor] [--pods-per-service 10]
// --pods-per-service 0 seeds no pods: analyze then reads exactly the kinds of the kubectl anchor (the issue's own
// measurement was of such a mesh).
// The emulator runs in a child process; kubectl gets its own warmed discovery cache.
import {fork, spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const opt = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def }
const NAMESPACES = 100

// ---- child: the emulator, seeded -----------------------------------------------------------------------
if (process.argv[2] === '--child') {
  const {startAerakiEmulator} = await import(join(root, 'dist/lib/playground/index.js'))
  const emu = await startAerakiEmulator({podStartDelayMs: 1, requestIntervalMs: 3_600_000})
  const {cluster} = emu.state
  const S = Math.round(2000 * Number(process.argv[3]))
  const type = (g, p) => cluster.type(g, p)
  const [ns, svc, mr, dr, pod] = [type('', 'namespaces'), type('', 'services'), type('metaprotocol.aeraki.io', 'metarouters'), type('networking.istio.io', 'destinationrules'), type('', 'pods')]
  for (let n = 0; n < NAMESPACES; n++) cluster.create(ns, undefined, {metadata: {name: `mesh-${n}`}})
  for (let i = 0; i < S; i++) {
    const namespace = `mesh-${i % NAMESPACES}`
    const name = `svc-${i}`
    const host = `${name}.${namespace}.svc.cluster.local`
    cluster.create(svc, namespace, {apiVersion: 'v1', kind: 'Service', metadata: {name, namespace}, spec: {selector: {app: name}, ports: [{name: 'tcp-metaprotocol-thrift', port: 9090, targetPort: 9090, protocol: 'TCP'}]}})
    cluster.create(dr, namespace, {apiVersion: 'networking.istio.io/v1alpha3', kind: 'DestinationRule', metadata: {name, namespace}, spec: {host, subsets: [{name: 'v1', labels: {version: 'v1'}}, {name: 'v2', labels: {version: 'v2'}}]}})
    cluster.create(mr, namespace, {apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name, namespace}, spec: {hosts: [host], routes: [
      {name: 'v1', match: {attributes: {method: {exact: 'sayHello'}}}, route: [{destination: {host, subset: 'v1'}}]},
      {name: 'split', route: [{destination: {host, subset: 'v1'}, weight: 20}, {destination: {host, subset: 'v2'}, weight: 80}]},
    ]}})
    for (let p = 0; p < Number(process.argv[4] ?? 10); p++) {
      cluster.create(pod, namespace, {apiVersion: 'v1', kind: 'Pod', metadata: {name: `${name}-${p % 2 ? 'v1' : 'v2'}-${p}`, namespace, labels: {app: name, version: p % 2 ? 'v1' : 'v2'}, annotations: {'sidecar.istio.io/inject': 'false'}}, spec: {containers: [{name: 'app', image: 'example/thrift:1', ports: [{containerPort: 9090}]}]}})
    }
  }
  // Measure a settled cluster: every pod Running (the controllers would otherwise keep the API server busy).
  while (cluster.list(pod).some((p) => p.status?.phase !== 'Running')) await new Promise((r) => setTimeout(r, 200))
  // ... and settled: the controllers work through what the pods turning Running queued (endpoints of 2,000
  // Services over 20,000 pods), which held the one thread for seconds at scale 1, long enough for kubectl's TLS
  // handshake timeout (10 s) on a loaded machine. Ready once the event loop has answered promptly for 2 s.
  const settledAt = Date.now()
  for (let calm = 0; calm < 20;) {
    const t = performance.now()
    await new Promise((r) => setTimeout(r, 100))
    calm = performance.now() - t < 150 ? calm + 1 : 0
  }
  const settleMs = Date.now() - settledAt
  process.send({url: emu.url, kubeconfig: emu.kubeconfigYaml(), services: S, settleMs})
  process.on('disconnect', () => emu.close().then(() => process.exit(0)))
  await new Promise(() => {})
}

// ---- parent -----------------------------------------------------------------------------------------------
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2 }

function run(dir, env, file, args) {
  return new Promise((resolve, reject) => {
    const rss = join(dir, 'rss')
    const t0 = process.hrtime.bigint()
    const child = spawn('/usr/bin/time', ['-q', '-f', '%M', '-o', rss, file, ...args], {env, stdio: ['ignore', 'ignore', 'pipe']})
    let err = ''
    child.stderr.on('data', (c) => (err += c))
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      // analyze exits 79 when it reports findings; that is a result, not a failure
      if (code !== 0 && code !== 79) return reject(new Error(`${file} ${args.join(' ')}: exit ${code}: ${err.slice(-400)}`))
      resolve({ms, mib: Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024})
    })
  })
}

const scales = opt('scales', '0.1,1').split(',').map(Number)
const RUNS = Number(opt('runs', 3))
console.log(`big mesh: ${RUNS} pairs per row; ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
const results = []
for (const scale of scales) {
  const child = fork(fileURLToPath(import.meta.url), ['--child', String(scale), opt('pods-per-service', '10')], {stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096']})
  const info = await new Promise((resolve, reject) => { child.once('message', resolve); child.once('exit', (c) => reject(new Error(`emulator exited ${c}`))) })
  console.log(`scale ${scale}: ${info.services} Services/MetaRouters/DestinationRules, ${info.services * Number(opt('pods-per-service', '10'))} pods seeded; the API server settled ${(info.settleMs / 1000).toFixed(1)} s after the pods ran; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  const dir = mkdtempSync(join(tmpdir(), 'aerakictl-bigmesh-'))
  try {
    const kubeconfig = join(dir, 'kubeconfig')
    writeFileSync(kubeconfig, info.kubeconfig)
    const env = {...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1', XDG_CACHE_HOME: join(dir, 'cache')}
    const bin = join(root, 'bin/run.js')
    const anchor = ['kubectl', ['get', 'metarouters,destinationrules,services,serviceentries', '-A', '-o', 'json', `--cache-dir=${join(dir, 'kcache')}`]]
    // analyze also reads every Pod (what DestinationRule subsets select): the second anchor reads the same kinds it
    // reads, pods included (--pods-anchor; at scale 1 kubectl needs ~30 s and ~900 MiB for it).
    const withPods = ['kubectl', ['get', 'metarouters,destinationrules,services,serviceentries,pods', '-A', '-o', 'json', `--cache-dir=${join(dir, 'kcache')}`]]
    const analyze = [process.execPath, [bin, 'route', 'analyze', '--from-cluster', '-A']]
    const rows = [
      ['route analyze --from-cluster -A', analyze, anchor],
      ['route dry-run --from-cluster --host svc-0.mesh-0', [process.execPath, [bin, 'route', 'dry-run', '--from-cluster', '--host', 'svc-0.mesh-0.svc.cluster.local']], anchor],
      ...(process.argv.includes('--pods-anchor') ? [['route analyze --from-cluster -A (anchor with pods)', analyze, withPods]] : []),
    ]
    await run(dir, env, ...anchor) // warm-up: kubectl discovery cache, our code cache
    for (const [, c] of rows) await run(dir, env, ...c)
    for (const [name, cmd, anchor] of rows) {
      const t = {ours: [], anchor: [], ratio: [], oursMiB: [], anchorMiB: []}
      for (let i = 0; i < RUNS; i++) {
        const order = i % 2 ? [['anchor', anchor], ['ours', cmd]] : [['ours', cmd], ['anchor', anchor]]
        const r = {}
        for (const [k, c] of order) { r[k] = await run(dir, env, ...c); t[k].push(r[k].ms); t[`${k}MiB`].push(r[k].mib) }
        t.ratio.push(r.ours.ms / r.anchor.ms)
      }
      const row = {scale, services: info.services, pods: info.services * Number(opt('pods-per-service', '10')), command: name, 'aerakictl s': (median(t.ours) / 1000).toFixed(2), 'kubectl s': (median(t.anchor) / 1000).toFixed(2), ratio: `${median(t.ratio).toFixed(2)}x`, 'aerakictl MiB': Math.max(...t.oursMiB).toFixed(0), 'kubectl MiB': Math.max(...t.anchorMiB).toFixed(0)}
      results.push(row)
      console.log(JSON.stringify(row))
    }
  } finally {
    child.disconnect()
    await new Promise((r) => child.once('exit', r))
    rmSync(dir, {recursive: true, force: true})
  }
}
console.log(`anchor: kubectl get metarouters,destinationrules,services,serviceentries${process.argv.includes('--pods-anchor') ? '[,pods]' : ''} -A -o json (same API server, same run)`)
console.table(results)
if (scales.length > 1) {
  for (const command of new Set(results.map((r) => r.command))) {
    const rs = results.filter((r) => r.command === command)
    const first = rs[0], last = rs[rs.length - 1]
    const growth = Number(last['aerakictl s']) / Number(first['aerakictl s'])
    const size = last.services / first.services
    console.log(`${command}: ${size}x the objects took ${growth.toFixed(1)}x the time (${growth <= size * 1.1 ? 'no worse than linear' : 'worse than linear'}); kubectl ${(Number(last['kubectl s']) / Number(first['kubectl s'])).toFixed(1)}x`)
  }
}
