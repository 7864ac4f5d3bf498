// Finds dump sections by `@type`, never by position: the index of the Aeraki section moves with
// `include_eds` and ECDS filters (config-dump.md §1.2), which is why aerakictl.sh's `.configs[4]` breaks.

import {anyTypeName, arrayField, isObject, type JsonObject} from './json.js'
import type {ConfigDump} from './parse.js'
import {sectionTypeOf, type SectionKind} from './type-urls.js'

export interface SectionListItem {
  /** The list element, e.g. a `DynamicRouteConfig`. */
  item: JsonObject
  /** The list it was found in (`dynamic_route_configs`), or the element name for `?resource=` output. */
  list: string
  /** Index of the containing `configs[]` entry. */
  configIndex: number
}

/** Whole sections of one kind, in dump order (several EcdsConfigDump entries are normal). */
export function findSections(dump: ConfigDump, kind: SectionKind): JsonObject[] {
  const found: JsonObject[] = []
  for (const entry of dump.configs) {
    const name = anyTypeName(entry)
    const type = name === undefined ? undefined : sectionTypeOf(name)
    if (type && type.kind === kind && !type.element) found.push(entry as JsonObject)
  }
  return found
}

/**
 * Elements of the given repeated fields of every section of `kind`, plus single elements that
 * `?resource=<field>` unpacked into `configs[]` (`…RoutesConfigDump.DynamicRouteConfig` and so on).
 * `elementNames` maps such a nested message name to the list it stands for.
 */
export function sectionListItems(
  dump: ConfigDump,
  kind: SectionKind,
  lists: readonly string[],
  elementNames: Readonly<Record<string, string>>,
): SectionListItem[] {
  const items: SectionListItem[] = []
  dump.configs.forEach((entry, configIndex) => {
    const name = anyTypeName(entry)
    const type = name === undefined ? undefined : sectionTypeOf(name)
    if (!type || type.kind !== kind) return
    if (type.element) {
      const list = elementNames[type.element]
      if (list) items.push({item: entry as JsonObject, list, configIndex})
      return
    }
    for (const list of lists) {
      for (const item of arrayField(entry, list)) {
        if (isObject(item)) items.push({item, list, configIndex})
      }
    }
  })
  return items
}

export type DumpSection = 'all' | 'bootstrap' | 'listeners' | 'clusters' | 'routes' | 'metaprotocol' | 'secrets'

export const DUMP_SECTIONS: readonly DumpSection[] = ['all', 'bootstrap', 'listeners', 'clusters', 'routes', 'metaprotocol', 'secrets']

/** Which section kinds each `--section` value shows. */
const SECTION_KINDS: Record<Exclude<DumpSection, 'all'>, readonly SectionKind[]> = {
  bootstrap: ['bootstrap'],
  listeners: ['listeners'],
  // Mirrors istioctl's `?mask=dynamic_route_configs,static_route_configs`, which returns Envoy's and Aeraki's routes.
  routes: ['metaprotocol', 'scopedRoutes', 'routes'],
  clusters: ['clusters', 'endpoints'],
  metaprotocol: ['metaprotocol'],
  secrets: ['secrets'],
}

/**
 * A dump holding only the configs[] entries of one `--section`, in their original order. `all` keeps
 * everything including unknown `@type`s. `metaprotocol` is the Aeraki routes section plus the listeners
 * section trimmed to the listeners that carry a MetaProtocol filter (`listenerFilter` decides).
 */
export function selectSections(
  dump: ConfigDump,
  section: DumpSection,
  listenerFilter?: (listenerEntry: JsonObject) => boolean,
): ConfigDump {
  if (section === 'all') return {configs: [...dump.configs]}
  const kinds = SECTION_KINDS[section]
  if (!kinds) throw new Error(`Unknown section "${section}"; expected one of ${DUMP_SECTIONS.join(', ')}`)
  const configs: unknown[] = []
  for (const entry of dump.configs) {
    const name = anyTypeName(entry)
    const type = name === undefined ? undefined : sectionTypeOf(name)
    if (!type) continue
    if (kinds.includes(type.kind)) configs.push(entry)
    else if (section === 'metaprotocol' && type.kind === 'listeners' && listenerFilter) {
      const trimmed = trimListeners(entry as JsonObject, type.element !== undefined, listenerFilter)
      if (trimmed) configs.push(trimmed)
    }
  }
  return {configs}
}

function trimListeners(entry: JsonObject, isElement: boolean, keep: (listenerEntry: JsonObject) => boolean): JsonObject | undefined {
  if (isElement) return keep(entry) ? entry : undefined
  const out: JsonObject = {}
  let kept = 0
  for (const [key, value] of Object.entries(entry)) {
    if (Array.isArray(value) && /^(static|dynamic)_?[lL]isteners$/.test(key)) {
      const listeners = value.filter((l) => isObject(l) && keep(l))
      kept += listeners.length
      if (listeners.length > 0) out[key] = listeners
    } else {
      out[key] = value
    }
  }
  return kept > 0 ? out : undefined
}
