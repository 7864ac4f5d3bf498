#!/usr/bin/env node
// The route index on 100 regex routes with the proxy's C++ RE2 (WebAssembly, src/lib/re2) against the same index
// with re2js's RE2Set (the engine before it), paired in one run: decisions per second of wall time and per CPU
// second (the latter is what to compare on a loaded machine). Run after `npm run build`: node bench/regex-engine.mjs
import {RE2Set} from 're2js'
import {compileTable, decideRoute, requestView} from '../dist/lib/routing/match.js'

const N = 100
const routes = Array.from({length: N}, (_, i) => ({
  name: `r${i}`,
  matchers: [{name: 'method', kind: 'regex', value: `re${i}_(get|put)[0-9]+`}, {name: 'interface', kind: 'exact', value: 'org.example.Api'}],
  action: {kind: 'cluster', cluster: `outbound|9090|v${i % 2}|svc`}, hashPolicy: [], mirror: null, requestMutation: [], responseMutation: [],
}))
const table = {name: 'svc_9090', host: 'svc', port: 9090, applicationProtocol: 'dubbo', routes}
const wasm = compileTable(table)
const re2js = compileTable(table)
const set = new RE2Set(RE2Set.ANCHOR_BOTH)
for (const r of routes) set.add(r.matchers[0].value)
set.compile()
re2js.regexSets = new Map([['method', {match: v => {
  const hits = new Uint8Array(N)
  for (const i of set.match(v)) hits[i] = 1
  return hits
}}]])

// Requests hit routes spread over the table (10% miss), each value different (as bench/simulator.mjs).
const reqs = Array.from({length: 2000}, (_, k) => {
  const i = (k * 7919) % N
  return requestView([['interface', 'org.example.Api'], ['method', k % 10 === 9 ? `miss${k}` : `re${i}_${k % 2 ? 'get' : 'put'}${k}`]], 'dubbo')
})
for (const q of reqs) if (decideRoute(wasm, q) !== decideRoute(re2js, q)) throw new Error('the two engines disagree')

const rows = []
for (let round = 0; round < 3; round++) {
  for (const [engine, ct] of [['C++ RE2 (wasm)', wasm], ['re2js RE2Set', re2js]]) {
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    let n = 0
    while (performance.now() - t0 < 1500) {
      for (const q of reqs) decideRoute(ct, q)
      n += reqs.length
    }
    const cpu = process.cpuUsage(cpu0)
    rows.push({round, engine, 'decisions/s (wall)': Math.round(n / ((performance.now() - t0) / 1000)), 'decisions/CPU-s': Math.round(n / ((cpu.user + cpu.system) / 1e6))})
  }
}
console.log(`Route index, ${N} regex routes, Node ${process.version}`)
console.table(rows)
