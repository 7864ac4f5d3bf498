// The model of `sidecar-config -i` (no ink, no terminal): a config dump as a collapsible tree whose rows are
// computed from the set of expanded paths, the JSONPath of a row (in the form --jsonpath takes), plain-text search
// over keys and scalar values, and where the MetaProtocol routes are. The ink view (ink-viewer.tsx) only draws it.
import {anyTypeName, isObject} from '../../dump/json.js'
import {AERAKI_ROUTES_CONFIG_DUMP} from '../../dump/type-urls.js'

export type Path = ReadonlyArray<string | number>

export interface Row {
  path: Path
  depth: number
  /** The key or index this node has in its parent (undefined for the root). */
  key?: string | number
  value: unknown
  expandable: boolean
  expanded: boolean
}

/** A path as a map key. */
export function pathId(path: Path): string {
  return path.map((p) => (typeof p === 'number' ? `#${p}` : `.${p}`)).join('\u0000')
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `$.configs[3].dynamic_route_configs[0]["@type"]`: what `sidecar-config --jsonpath` accepts back. */
export function jsonPathOf(path: Path): string {
  let out = '$'
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : IDENTIFIER.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`
  return out
}

export function valueAt(root: unknown, path: Path): unknown {
  let v = root
  for (const p of path) v = (v as Record<string | number, unknown> | undefined)?.[p]
  return v
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)
}

function children(v: unknown): Array<[string | number, unknown]> {
  if (Array.isArray(v)) return v.map((x, i) => [i, x])
  if (isObject(v)) return Object.entries(v)
  return []
}

/** The visible rows: the root's children, and every expanded node's children below it (depth first). */
export function visibleRows(root: unknown, expanded: ReadonlySet<string>): Row[] {
  const rows: Row[] = []
  const walk = (value: unknown, path: Path, depth: number) => {
    for (const [key, child] of children(value)) {
      const p = [...path, key]
      const expandable = isContainer(child)
      const open = expandable && expanded.has(pathId(p))
      rows.push({path: p, depth, key, value: child, expandable, expanded: open})
      if (open) walk(child, p, depth + 1)
    }
  }
  walk(root, [], 0)
  return rows
}

/** Every proper prefix of `path`, as ids: what must be expanded for `path` to be visible. */
export function ancestorIds(path: Path): string[] {
  return path.slice(0, -1).map((_, i) => pathId(path.slice(0, i + 1)))
}

/** The short name of a dump section (`RoutesConfigDump`) and its package, from its `@type`. */
export function sectionLabel(section: unknown): string | undefined {
  const name = anyTypeName(section)
  if (!name) return undefined
  const dot = name.lastIndexOf('.')
  return dot < 0 ? name : `${name.slice(dot + 1)} (${name.slice(0, dot)})`
}

/** What a row says after its key: a scalar as JSON, a container by its size (and a name when it has one). */
export function summary(row: Row): string {
  const v = row.value
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.length} ${v.length === 1 ? 'item' : 'items'}]`
  if (isObject(v)) {
    const n = Object.keys(v).length
    if (n === 0) return '{}'
    const section = row.path.length === 2 && row.path[0] === 'configs' ? sectionLabel(v) : undefined
    const name = typeof v.name === 'string' ? v.name : isObject(v.route_config) && typeof v.route_config.name === 'string' ? v.route_config.name : undefined
    return section ?? (name !== undefined ? `{${n}} ${name}` : `{${n} ${n === 1 ? 'key' : 'keys'}}`)
  }
  return JSON.stringify(v) ?? String(v)
}

export interface SearchResult {
  paths: Path[]
  /** True when the search stopped at `limit` matches. */
  truncated: boolean
}

/**
 * Nodes whose key or scalar value contains `query` (plain text, case-insensitive; no pattern syntax), in
 * document order; at most `limit` of them.
 */
export function search(root: unknown, query: string, limit = 10_000): SearchResult {
  const q = query.toLowerCase()
  const paths: Path[] = []
  if (q === '') return {paths, truncated: false}
  const stack: Array<{value: unknown; path: Path}> = [{value: root, path: []}]
  while (stack.length) {
    const {value, path} = stack.pop()!
    const kids = children(value)
    // Pushed in reverse, so the stack yields document order.
    for (let i = kids.length - 1; i >= 0; i--) stack.push({value: kids[i][1], path: [...path, kids[i][0]]})
    if (path.length === 0) continue
    const key = path[path.length - 1]
    const scalar = typeof value === 'object' && value !== null ? '' : String(value)
    if ((typeof key === 'string' && key.toLowerCase().includes(q)) || scalar.toLowerCase().includes(q)) {
      paths.push(path)
      if (paths.length >= limit) return {paths, truncated: true}
    }
  }
  return {paths, truncated: false}
}

/**
 * Where the MetaProtocol routes are: the routes of the first route configuration in Aeraki's RoutesConfigDump
 * (found by `@type`), else the first route configuration, else that section itself; undefined when the dump has none.
 */
export function metaProtocolRoutesPath(root: unknown): Path | undefined {
  const configs = isObject(root) && Array.isArray(root.configs) ? root.configs : []
  const index = configs.findIndex((c) => anyTypeName(c) === AERAKI_ROUTES_CONFIG_DUMP)
  if (index < 0) return undefined
  const section = configs[index] as Record<string, unknown>
  for (const list of ['dynamic_route_configs', 'dynamicRouteConfigs', 'static_route_configs', 'staticRouteConfigs']) {
    const items = section[list]
    if (!Array.isArray(items) || items.length === 0) continue
    const first = items[0] as Record<string, unknown>
    for (const key of ['route_config', 'routeConfig']) {
      const rc = first?.[key]
      if (isObject(rc) && Array.isArray(rc.routes) && rc.routes.length > 0) return ['configs', index, list, 0, key, 'routes']
    }
    return ['configs', index, list, 0]
  }
  return ['configs', index]
}
