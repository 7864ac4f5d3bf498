// Envoy admin paths that change the proxy and so only answer to POST (envoyproxy/envoy
// docs/root/operations/admin.rst: "POST /…" entries).
const MUTATING = new Set([
  'cpuprofiler', 'drain_listeners', 'healthcheck/fail', 'healthcheck/ok', 'heapprofiler', 'logging', 'quitquitquit',
  'reopen_logs', 'reset_counters', 'runtime_modify', 'tap',
])

/** True for paths that change the proxy; `logging` without a query only lists the levels. */
export function isMutatingAdminPath(path: string): boolean {
  const [p, q] = path.replace(/^\/+/, '').split('?')
  if (p === 'logging') return Boolean(q)
  return MUTATING.has(p)
}
