#!/usr/bin/env node
// Config-dump speed and memory on a generated ~50 MB sidecar dump, side by side with jq and gojq in one run:
//   - extracting the route sections, printed: the same output as
//     jq '.configs[] | select(."@type" | test("RoutesConfigDump"))' (the bench checks the bytes are identical),
//     and our full MetaProtocol extraction (tables, listeners, clusters) for reference
//   - pretty-printing the whole dump: JSON.parse + JSON.stringify(…, 2), or streamed with prettyJsonChunks, vs `jq .`
// Every measurement runs in its own child process, so wall time includes process start and reading the
// file, and peak RSS (from /usr/bin/time when present) is that process's alone. jq is skipped if missing.
//
// Run after `npm run build`:   node bench/dump.mjs [--size-mb 50] [--runs 1] [--heap-mb 512] [--keep]
// AERAKICTL_DIST=<dir> points at another build of src/ (default: ./dist).
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {fileURLToPath, pathToFileURL} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const distDir = path.resolve(process.env.AERAKICTL_DIST ?? path.join(here, '..', 'dist'))
const libPath = path.join(distDir, 'lib', 'dump', 'index.js')

function option(name, fallback) {
  const i = process.argv.indexOf(name)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}

async function loadLibrary() {
  if (!existsSync(libPath)) {
    console.error(`${libPath} not found: run \`npm run build\` first (or set AERAKICTL_DIST).`)
    process.exit(2)
  }
  return import(pathToFileURL(libPath).href)
}

// ---------- child: one measured task ----------

async function child(task, file) {
  const lib = await loadLibrary()
  const phases = {}
  const time = (name, fn) => {
    const t0 = performance.now()
    const value = fn()
    phases[name] = performance.now() - t0
    return value
  }
  const text = time('read', () => readFileSync(file, 'utf8'))
  const dump = time('parse', () => lib.parseConfigDump(text))
  const result = {}
  if (task === 'select-routes') {
    // What the jq filter does: every RoutesConfigDump section, pretty-printed as jq prints it.
    const out = time('select+print', () => {
      const parts = []
      for (const c of dump.configs ?? []) if (/RoutesConfigDump/.test(c?.['@type'] ?? '')) parts.push(JSON.stringify(c, null, 2), '\n')
      return parts.join('')
    })
    time('write', () => process.stdout.write(out))
    process.stderr.write(JSON.stringify({phases, maxRssKb: process.resourceUsage().maxRSS}) + '\n')
    return
  }
  if (task === 'extract') {
    const tables = time('routeTables', () => lib.extractMetaProtocolRouteTables(dump))
    const listeners = time('listeners', () => lib.extractMetaProtocolListeners(dump))
    const clusters = time('clusters', () => lib.extractClusters(dump))
    result.tables = tables.length
    result.routes = tables.reduce((n, t) => n + t.routes.length, 0)
    result.listeners = listeners.length
    result.clusters = clusters.length
  } else if (task === 'pretty') {
    const out = time('stringify', () => JSON.stringify(dump, null, 2))
    time('write', () => writeFileSync('/dev/null', out))
    result.bytes = out.length
  } else if (task === 'pretty-stream') {
    // What a CLI writing to stdout does: chunks batched into ~1 MB writes, never the whole text at once.
    result.bytes = time('stream', () => {
      const fd = openSync('/dev/null', 'w')
      let batch = ''
      let bytes = 0
      for (const chunk of lib.prettyJsonChunks(dump)) {
        batch += chunk
        if (batch.length >= 1 << 20) {
          bytes += writeSync(fd, batch)
          batch = ''
        }
      }
      bytes += writeSync(fd, batch)
      closeSync(fd)
      return bytes
    })
  } else if (task === 'redact') {
    const redacted = time('redact', () => lib.redactSecrets(dump))
    result.redacted = redacted.redactedCount
    result.alreadyRedacted = redacted.alreadyRedactedCount
  } else if (task === 'render') {
    const out = time('render', () => lib.renderMetaProtocolTables(dump))
    result.lines = out.split('\n').length
  }
  result.phases = phases
  result.maxRssKb = process.resourceUsage().maxRSS
  process.stdout.write(JSON.stringify(result))
}

// ---------- parent ----------

function syntheticInput(lib, count) {
  const services = []
  const tables = []
  const subsetsByHost = {}
  for (let i = 0; i < count; i++) {
    const protocol = i % 2 === 0 ? 'thrift' : 'dubbo'
    const port = protocol === 'thrift' ? 9090 : 20880
    const host = `svc-${i}.ns-${i % 50}.svc.cluster.local`
    const cluster = (subset) => `outbound|${port}|${subset}|${host}`
    services.push({host, port, clusterIp: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, applicationProtocol: protocol})
    subsetsByHost[host] = ['v1', 'v2', 'v3']
    const base = {hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []}
    tables.push({
      name: `${host}_${port}`,
      host,
      port,
      applicationProtocol: protocol,
      routes: [
        {...base, name: 'by-method', matchers: [{name: 'method', kind: 'exact', value: `call${i}`}], action: {kind: 'cluster', cluster: cluster('v1')}},
        {...base, name: 'by-prefix', matchers: [{name: 'method', kind: 'prefix', value: 'get'}, {name: 'region', kind: 'regex', value: 'eu-.*'}], action: {kind: 'cluster', cluster: cluster('v2')}, hashPolicy: ['method']},
        {...base, name: 'canary', matchers: [{name: 'x-canary', kind: 'present'}], action: {kind: 'weighted', clusters: [{name: cluster('v1'), weight: 90}, {name: cluster('v3'), weight: 10}]}, mirror: {cluster: cluster('v3'), numerator: 100000}},
        {...base, name: 'split', matchers: [], action: {kind: 'weighted', clusters: [{name: cluster('v1'), weight: 20}, {name: cluster('v2'), weight: 80}]}, requestMutation: [{key: 'foo', value: 'bar'}]},
      ],
      versionInfo: '1717062067',
      lastUpdated: '2024-05-30T09:41:07.262Z',
    })
  }
  return {tables, services, subsetsByHost, podName: 'thrift-sample-client-6f9c7d8b5-x2k4p', namespace: 'meta-thrift', podIp: '172.17.0.95'}
}

function writeSyntheticDump(lib, file, targetBytes) {
  // Size one sample, then scale the service count to the target.
  const sampleCount = 50
  const sampleBytes = Buffer.byteLength(JSON.stringify(lib.generateConfigDump(syntheticInput(lib, sampleCount)), null, 2))
  const fixedBytes = Buffer.byteLength(JSON.stringify(lib.generateConfigDump(syntheticInput(lib, 0)), null, 2))
  const count = Math.max(1, Math.round(((targetBytes - fixedBytes) * sampleCount) / (sampleBytes - fixedBytes)))
  // Envoy pretty-prints its dump (config-dump.md §1.1), so the file is indented as a real one would be.
  writeFileSync(file, JSON.stringify(lib.generateConfigDump(syntheticInput(lib, count)), null, 2) + '\n')
  return count
}

const hasTime = existsSync('/usr/bin/time')

/** The printed documents with every object's keys sorted, to compare outputs that differ only in key order. */
function canonical(text) {
  const sort = (v) => Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v
  return text.split(/\n(?=[{[])/).filter((d) => d.trim()).map((d) => JSON.stringify(sort(JSON.parse(d)))).join('\n')
}

/** Runs a command once; wall seconds and peak RSS (KB) from GNU time when available. */
function measure(command, args, {capture = command !== 'jq' && command !== 'gojq'} = {}) {
  const devNull = openSync('/dev/null', 'w')
  const full = hasTime ? ['/usr/bin/time', ['-f', '%e %M', command, ...args]] : [command, args]
  const t0 = performance.now()
  const run = spawnSync(full[0], full[1], {stdio: ['ignore', capture ? 'pipe' : devNull, 'pipe'], maxBuffer: 512 * 1024 * 1024})
  const wallMs = performance.now() - t0
  if (run.error) throw run.error
  const stderr = run.stderr.toString().trim().split('\n')
  let rssKb
  if (hasTime) rssKb = Number(stderr.pop()?.split(' ')[1])
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${run.status}: ${stderr.join('\n')}`)
  return {wallMs, rssKb, stdout: run.stdout ? run.stdout.toString() : '', stderr}
}

function best(runs, fn) {
  let result
  for (let i = 0; i < runs; i++) {
    const r = fn()
    if (!result || r.wallMs < result.wallMs) result = r
  }
  return result
}

const mb = (kb) => (kb === undefined || Number.isNaN(kb) ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`)
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`

async function parent() {
  const lib = await loadLibrary()
  const targetMb = option('--size-mb', 50)
  const runs = option('--runs', 1)
  const heapMb = option('--heap-mb', 512)
  const dir = mkdtempSync(path.join(tmpdir(), 'aerakictl-dump-bench-'))
  const file = path.join(dir, 'config_dump.json')
  try {
    const t0 = performance.now()
    const services = writeSyntheticDump(lib, file, targetMb * 1024 * 1024)
    const size = statSync(file).size
    console.log(`synthetic dump: ${(size / 1024 / 1024).toFixed(1)} MB, ${services} MetaProtocol services (4 routes, 3 subsets each), generated in ${sec(performance.now() - t0)}`)
    console.log(`node ${process.version}, heap capped at ${heapMb} MB (--max-old-space-size); peak RSS ${hasTime ? 'from /usr/bin/time' : 'from process.resourceUsage (jq: n/a)'}; best of ${runs}`)

    const jq = spawnSync('jq', ['--version'])
    const jqVersion = jq.error || jq.status !== 0 ? undefined : jq.stdout.toString().trim()
    if (!jqVersion) console.log('jq not found: jq columns skipped (apt-get install -y jq)')

    const rows = []
    const ours = (task) =>
      best(runs, () => {
        const r = measure(process.execPath, [`--max-old-space-size=${heapMb}`, fileURLToPath(import.meta.url), '--child', task, file])
        const result = JSON.parse(r.stdout)
        return {...r, result, rssKb: r.rssKb ?? result.maxRssKb}
      })
    const phaseText = (phases) =>
      Object.entries(phases)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)}`)
        .join(', ')

    const filter = '.configs[] | select(."@type" | test("RoutesConfigDump"))'
    const gojq = spawnSync('gojq', ['--version'])
    const gojqVersion = gojq.error || gojq.status !== 0 ? undefined : `gojq ${gojq.stdout.toString().trim().replace(/^gojq\s*/, '')}`
    if (!gojqVersion) console.log('gojq not found: gojq rows skipped (apt-get install -y gojq)')
    // Every tool prints into a pipe the bench reads, so all pay for their output alike, and the bytes are compared.
    const sha = (text) => createHash('sha256').update(text).digest('hex')
    const select = best(runs, () => {
      const r = measure(process.execPath, [`--max-old-space-size=${heapMb}`, fileURLToPath(import.meta.url), '--child', 'select-routes', file], {capture: true})
      const info = JSON.parse(r.stderr.filter((l) => l.startsWith('{')).pop() ?? '{}')
      return {...r, info, rssKb: r.rssKb ?? info.maxRssKb}
    })
    const ourSha = sha(select.stdout)
    rows.push(['select route sections, printed', 'aerakictl', sec(select.wallMs), mb(select.rssKb), `${phaseText(select.info.phases ?? {})}; ${(select.stdout.length / 1048576).toFixed(1)} MB out`])
    for (const [tool, version] of [['jq', jqVersion], ['gojq', gojqVersion]]) {
      if (!version) continue
      const r = best(runs, () => measure(tool, [filter, file], {capture: true}))
      const same = sha(r.stdout) === ourSha ? 'identical to aerakictl\'s' : canonical(r.stdout) === canonical(select.stdout) ? 'the same documents as aerakictl\'s, keys sorted (gojq always sorts)' : 'DIFFERS from aerakictl\'s'
      rows.push(['select route sections, printed', version, sec(r.wallMs), mb(r.rssKb), `output ${same}`])
    }
    const extract = ours('extract')
    rows.push(['MetaProtocol tables+listeners+clusters', 'aerakictl', sec(extract.wallMs), mb(extract.rssKb), `${phaseText(extract.result.phases)}; ${extract.result.tables} tables, ${extract.result.routes} routes, ${extract.result.listeners} listeners, ${extract.result.clusters} clusters (more than jq's filter does)`])
    const pretty = ours('pretty')
    rows.push(['pretty-print all', 'aerakictl', sec(pretty.wallMs), mb(pretty.rssKb), phaseText(pretty.result.phases)])
    const streamed = ours('pretty-stream')
    rows.push(['pretty-print all', 'aerakictl streamed', sec(streamed.wallMs), mb(streamed.rssKb), `${phaseText(streamed.result.phases)}; prettyJsonChunks in ~1 MB writes`])
    for (const [tool, version] of [['jq', jqVersion], ['gojq', gojqVersion]]) {
      if (!version) continue
      const r = best(runs, () => measure(tool, ['.', file]))
      rows.push(['pretty-print all', version, sec(r.wallMs), mb(r.rssKb), `${tool} . (to /dev/null)`])
    }
    const redact = ours('redact')
    rows.push(['redact secrets', 'aerakictl', sec(redact.wallMs), mb(redact.rssKb), `${phaseText(redact.result.phases)}; ${redact.result.redacted} redacted, ${redact.result.alreadyRedacted} already redacted`])
    const render = ours('render')
    rows.push(['render tables', 'aerakictl', sec(render.wallMs), mb(render.rssKb), `${phaseText(render.result.phases)}; ${render.result.lines} lines`])

    const header = ['task', 'tool', 'wall', 'peak RSS', 'in-process phases (s) / notes']
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
    for (const row of [header, ...rows]) console.log(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  '))
  } finally {
    if (process.argv.includes('--keep')) console.log(`kept ${file}`)
    else rmSync(dir, {recursive: true, force: true})
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4])
else await parent()
