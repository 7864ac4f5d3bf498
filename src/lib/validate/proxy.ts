// What the MetaProtocol proxy refuses when the RDS table arrives (spec §1.3d–e): any one of these NACKs the whole
// `<host>_<port>` table, so one bad route poisons every route of the service.
import {checkRe2, RE2_MAX_PROGRAM_SIZE} from '../routing/regex.js'
import {matchersOf} from '../routing/translate.js'
import type {Loaded, MetaRouterSpec} from '../resources/types.js'
import {FindingSink} from './findings.js'
import type {Finding} from '../resources/types.js'

const HEADER_VALUE_MAX = 16384
const MUTATIONS_MAX = 1000
const FORBIDDEN_CHARS = /[\0\r\n]/

export function proxyNackFindings(loaded: Loaded): Finding[] {
  const sink = new FindingSink(loaded)
  const spec = (loaded.obj.spec ?? {}) as MetaRouterSpec
  const routes = Array.isArray(spec.routes) ? spec.routes : []
  routes.forEach((r, i) => {
    const path = `spec.routes[${i}]`
    for (const m of matchersOf(r?.match?.attributes ?? undefined)) {
      const mp = `${path}.match.attributes.${m.name}`
      if (FORBIDDEN_CHARS.test(m.name)) sink.add('PROXY_NACK_ATTRIBUTE_NAME', 'error', `attribute name ${JSON.stringify(m.name)} contains NUL, CR or LF; the proxy rejects the table`, mp)
      if (m.kind === 'prefix' && m.value === '') {
        sink.add('PROXY_NACK_EMPTY_PREFIX', 'error', `prefix "" for attribute "${m.name}" passes the webhook but the proxy rejects the whole table (prefix_match needs at least 1 character); use exact: "" to test presence`, `${mp}.prefix`)
      }
      if (m.kind === 'regex') {
        const c = checkRe2(m.value ?? '')
        if (!c.ok) sink.add('PROXY_NACK_REGEX', 'error', `RE2 rejects regex "${m.value}": ${c.error}`, `${mp}.regex`)
        else if (c.programSize > RE2_MAX_PROGRAM_SIZE) {
          sink.add('PROXY_NACK_REGEX_PROGRAM_SIZE', 'error', `regex "${m.value}" compiles to an RE2 program of about ${c.programSize} instructions, over the proxy's limit of ${RE2_MAX_PROGRAM_SIZE}; the table is rejected`, `${mp}.regex`)
        }
      }
    }
    const dests = Array.isArray(r?.route) ? r!.route! : []
    if (dests.length === 0) sink.add('PROXY_NACK_NO_CLUSTER', 'error', 'a route without destinations has an empty weighted_clusters list; the proxy rejects the table', `${path}.route`)
    if (dests.length > 1 && dests.every(d => !Number(d?.weight))) {
      sink.add('PROXY_ZERO_TOTAL_WEIGHT', 'error', 'all weights are 0: proxies before 1.3 reject the table, later ones divide by zero on the first request', `${path}.route`)
    }
    for (const list of ['requestMutation', 'responseMutation'] as const) {
      const items = Array.isArray(r?.[list]) ? r![list]! : []
      if (items.length > MUTATIONS_MAX) sink.add('PROXY_NACK_MUTATION', 'error', `${items.length} ${list} entries, over the limit of ${MUTATIONS_MAX}`, `${path}.${list}`)
      items.forEach((kv, j) => {
        const p = `${path}.${list}[${j}]`
        const key = String(kv?.key ?? '')
        const value = String(kv?.value ?? '')
        if (FORBIDDEN_CHARS.test(key) || FORBIDDEN_CHARS.test(value)) sink.add('PROXY_NACK_MUTATION', 'error', `${list} "${key}" contains NUL, CR or LF`, p)
        if (Buffer.byteLength(key) > HEADER_VALUE_MAX || Buffer.byteLength(value) > HEADER_VALUE_MAX) sink.add('PROXY_NACK_MUTATION', 'error', `${list} "${key.slice(0, 40)}" is longer than ${HEADER_VALUE_MAX} bytes`, p)
      })
    }
  })
  return sink.findings
}
