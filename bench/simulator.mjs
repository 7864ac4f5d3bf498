#!/usr/bin/env node
// Simulator speed: decisions per second on generated route tables, the compiled index side by side with a fair
// baseline: a tight linear walk (matcher names lower-cased and patterns compiled once, before timing; no
// allocation per matcher; first match wins, as the proxy walks its routes), plus --samples throughput and memory.
// The table says where the index loses to the walk (speedup < 1x).
// Run after `npm run build`:  node --expose-gc bench/simulator.mjs [--quick]
import {performance} from 'node:perf_hooks'
import {asciiLower, compileTable, decideRoute, explainRoute, requestView} from '../dist/lib/routing/match.js'
import {compileRe2} from '../dist/lib/routing/regex.js'
import {sampleWeighted} from '../dist/lib/routing/sampling.js'

const quick = process.argv.includes('--quick')
const MIN_MS = quick ? 200 : 1000

function route(i, matchers) {
  return {name: `r${i}`, matchers, action: {kind: 'cluster', cluster: `outbound|9090|v${i % 2}|svc`}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: []}
}

// Mixes: every route tests `method`; the kind varies by mix.
function makeTable(n, mix) {
  const routes = []
  for (let i = 0; i < n; i++) {
    const kind = mix === 'exact' ? 'exact' : mix === 'regex' ? 'regex' : ['exact', 'prefix', 'regex'][i % 3]
    const value = kind === 'exact' ? `method${i}` : kind === 'prefix' ? `pfx${i}_` : `re${i}_(get|put)[0-9]+`
    routes.push(route(i, [{name: 'method', kind, value}, {name: 'interface', kind: 'exact', value: 'org.example.Api'}]))
  }
  return {name: 'svc_9090', host: 'svc', port: 9090, applicationProtocol: 'dubbo', routes}
}

// Requests hit routes spread over the table (and 10% miss), with varied values so no cache helps.
function makeRequests(n, mix, count) {
  const reqs = []
  for (let k = 0; k < count; k++) {
    const i = (k * 7919) % n
    const kind = mix === 'exact' ? 'exact' : mix === 'regex' ? 'regex' : ['exact', 'prefix', 'regex'][i % 3]
    let method = kind === 'exact' ? `method${i}` : kind === 'prefix' ? `pfx${i}_${k}` : `re${i}_${k % 2 ? 'get' : 'put'}${k}`
    if (k % 10 === 9) method = `miss${k}`
    reqs.push(requestView([['interface', 'org.example.Api'], ['method', method]], 'dubbo'))
  }
  return reqs
}

function rate(fn, reqs) {
  let done = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < MIN_MS) {
    for (const r of reqs) fn(r)
    done += reqs.length
    t = performance.now()
  }
  return done / ((t - t0) / 1000)
}

// The fair baseline: everything that does not depend on the request is prepared once.
function linearWalk(table) {
  const routes = table.routes.map(r => r.matchers.map(m => ({
    name: asciiLower(m.name), kind: m.kind, value: m.value ?? '', re: m.kind === 'regex' ? compileRe2(m.value ?? '') : null,
  })))
  return view => {
    outer: for (let i = 0; i < routes.length; i++) {
      const ms = routes[i]
      for (let j = 0; j < ms.length; j++) {
        const m = ms[j]
        const v = view.get(m.name)
        if (v === undefined) continue outer
        if (m.kind === 'exact') { if (m.value !== '' && v !== m.value) continue outer }
        else if (m.kind === 'prefix') { if (!v.startsWith(m.value)) continue outer }
        else if (m.kind === 'regex') { if (!m.re.fullMatch(v)) continue outer }
      }
      return i
    }
    return -1
  }
}

const fmt = n => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k/s` : `${n.toFixed(0)} /s`)
const rows = []
for (const mix of ['exact', 'mixed', 'regex']) {
  for (const n of [10, 100, 1000, 10000]) {
    if (quick && n === 10000) continue
    const table = makeTable(n, mix)
    const reqs = makeRequests(n, mix, 2000)
    const t0 = performance.now()
    const ct = compileTable(table)
    const compileMs = performance.now() - t0
    // Sanity: both paths agree on every request before anything is timed.
    for (const r of reqs) if (decideRoute(ct, r) !== explainRoute(table, r).index) throw new Error(`disagreement on ${mix}/${n}`)
    const compiled = rate(r => decideRoute(ct, r), reqs)
    const walk = linearWalk(table)
    for (const r of reqs) if (walk(r) !== decideRoute(ct, r)) throw new Error(`the walk disagrees on ${mix}/${n}`)
    const linear = rate(walk, reqs.slice(0, n >= 1000 ? 200 : 2000))
    rows.push({mix, routes: n, compiled: fmt(compiled), linear: Number.isNaN(linear) ? 'skipped' : fmt(linear), speedup: Number.isNaN(linear) ? '' : `${(compiled / linear).toFixed(2)}x${compiled < linear ? ' (index loses)' : ''}`, compileMs: compileMs.toFixed(1)})
  }
}
console.log('Route decisions per second (compiled index vs tight linear walk), one core, Node', process.version)
console.table(rows)

// End to end per request, including building the attribute view (what a caller really pays).
{
  const table = makeTable(1000, 'exact')
  const ct = compileTable(table)
  const raw = Array.from({length: 2000}, (_, k) => [['interface', 'org.example.Api'], ['method', `method${(k * 7919) % 1000}`]])
  console.log(`1,000 exact routes including requestView(): ${fmt(rate(a => decideRoute(ct, requestView(a, 'dubbo')), raw))}`)
}

// --samples: throughput, and memory for 1 and 10 million draws side by side (run with --expose-gc for exact heap
// figures): constant memory means the heap does not grow with the number of draws.
{
  const split = [{name: 'outbound|9090|v1|svc', weight: 20}, {name: 'outbound|9090|v2|svc', weight: 80}]
  for (const n of quick ? [100_000, 1_000_000] : [1_000_000, 10_000_000]) {
    globalThis.gc?.()
    const before = process.memoryUsage()
    let peakHeap = before.heapUsed
    const probe = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 1)
    const t0 = performance.now()
    const s = sampleWeighted(split, n, 7n)
    const ms = performance.now() - t0
    clearInterval(probe)
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
    globalThis.gc?.()
    const after = process.memoryUsage()
    console.log(`samples: ${n.toLocaleString('en')} draws in ${ms.toFixed(0)} ms (${fmt(n / (ms / 1000))}), heap ${((after.heapUsed - before.heapUsed) / 1024).toFixed(0)} KiB more after GC, rss ${(after.rss / 1048576).toFixed(1)} MiB, v1 share ${(s.counts[split[0].name] / n).toFixed(4)}`)
  }
}
