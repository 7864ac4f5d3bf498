// Lists the listeners of a dump and the MetaProtocol filters in them. Only filters whose config type is
// MetaProtocolProxy count, so the demo's HTTP listener `0.0.0.0_9090` (Prometheus) is never reported even
// though it shares the port with the Thrift listener `10.98.211.57_9090` (config-dump.md §2.4).

import {arrayField, isObject, numberField, objectField, stringField, type JsonObject} from './json.js'
import {metaProtocolProxyConfig, summarizeMetaProtocolProxy, type MetaProtocolProxySummary} from './metaprotocol-filter.js'
import {asConfigDump, type DumpInput} from './input.js'
import type {ConfigDump} from './parse.js'
import {sectionListItems} from './sections.js'

export type ListenerState = 'static' | 'active' | 'warming' | 'draining'

export interface ListenerRecord {
  name: string
  state: ListenerState
  listener: JsonObject
  versionInfo?: string
  lastUpdated?: string
}

export interface MetaProtocolListener extends Omit<MetaProtocolProxySummary, 'inlineRouteConfig'> {
  /** Listener name, e.g. `10.98.211.57_9090`. */
  name: string
  address: string
  port: number
  state: ListenerState
  /** Filter chain name, when the chain has one (`virtualInbound` chains do). */
  filterChain?: string
  /** `filter_chain_match.destination_port` (inbound chains on `virtualInbound`). */
  destinationPort?: number
  versionInfo?: string
  lastUpdated?: string
}

const DYNAMIC_STATES: ReadonlyArray<[string, ListenerState]> = [
  ['active_state', 'active'],
  ['warming_state', 'warming'],
  ['draining_state', 'draining'],
]

export function socketAddressOf(listener: unknown): {address: string; port: number} {
  const address = objectField(listener, 'address')
  const socket = objectField(address, 'socket_address')
  if (socket) return {address: stringField(socket, 'address') ?? '', port: numberField(socket, 'port_value') ?? 0}
  const pipe = objectField(address, 'pipe')
  return {address: stringField(pipe, 'path') ?? '', port: 0}
}

/** Every listener in the dump: static ones and each state of each dynamic one. */
export function listListeners(dump: ConfigDump): ListenerRecord[] {
  const records: ListenerRecord[] = []
  const items = sectionListItems(dump, 'listeners', ['static_listeners', 'dynamic_listeners'], {
    StaticListener: 'static_listeners',
    DynamicListener: 'dynamic_listeners',
  })
  for (const {item, list} of items) {
    if (list === 'static_listeners') {
      const listener = objectField(item, 'listener')
      if (!listener) continue
      const {address, port} = socketAddressOf(listener)
      records.push(withTimes({name: stringField(listener, 'name') ?? `${address}_${port}`, state: 'static', listener}, item))
      continue
    }
    for (const [stateField, state] of DYNAMIC_STATES) {
      const stateValue = objectField(item, stateField)
      const listener = objectField(stateValue, 'listener')
      if (!listener) continue
      const name = stringField(item, 'name') ?? stringField(listener, 'name') ?? ''
      records.push(withTimes({name, state, listener}, stateValue))
    }
  }
  return records
}

function withTimes(record: ListenerRecord, holder: unknown): ListenerRecord {
  const versionInfo = stringField(holder, 'version_info')
  const lastUpdated = stringField(holder, 'last_updated')
  if (versionInfo !== undefined) record.versionInfo = versionInfo
  if (lastUpdated !== undefined) record.lastUpdated = lastUpdated
  return record
}

function filterChainsOf(listener: JsonObject): JsonObject[] {
  const chains = arrayField(listener, 'filter_chains').filter(isObject)
  const fallback = objectField(listener, 'default_filter_chain')
  return fallback ? [...chains, fallback] : chains
}

export interface MetaProtocolFilterHit {
  record: ListenerRecord
  chain: JsonObject
  summary: MetaProtocolProxySummary
}

/** Each MetaProtocol filter with its listener and filter chain; inline route configs are kept. */
export function findMetaProtocolFilters(dump: ConfigDump): MetaProtocolFilterHit[] {
  const hits: MetaProtocolFilterHit[] = []
  for (const record of listListeners(dump)) {
    for (const chain of filterChainsOf(record.listener)) {
      for (const filter of arrayField(chain, 'filters')) {
        const config = metaProtocolProxyConfig(filter)
        if (config) hits.push({record, chain, summary: summarizeMetaProtocolProxy(config)})
      }
    }
  }
  return hits
}

/** True when a `static_listeners[]`/`dynamic_listeners[]` element carries a MetaProtocol filter. */
export function listenerEntryHasMetaProtocol(entry: JsonObject): boolean {
  const listeners = [objectField(entry, 'listener'), ...DYNAMIC_STATES.map(([s]) => objectField(objectField(entry, s), 'listener'))]
  return listeners.some(
    (listener) => listener !== undefined && filterChainsOf(listener).some((chain) => arrayField(chain, 'filters').some((f) => metaProtocolProxyConfig(f) !== undefined)),
  )
}

export function extractMetaProtocolListeners(input: DumpInput): MetaProtocolListener[] {
  return findMetaProtocolFilters(asConfigDump(input)).map(({record, chain, summary}) => {
    const {address, port} = socketAddressOf(record.listener)
    const {inlineRouteConfig: _inline, ...rest} = summary
    const out: MetaProtocolListener = {name: record.name, address, port, state: record.state, ...rest}
    const chainName = stringField(chain, 'name')
    if (chainName) out.filterChain = chainName
    const destinationPort = numberField(objectField(chain, 'filter_chain_match'), 'destination_port')
    if (destinationPort !== undefined) out.destinationPort = destinationPort
    if (record.versionInfo !== undefined) out.versionInfo = record.versionInfo
    if (record.lastUpdated !== undefined) out.lastUpdated = record.lastUpdated
    return out
  })
}
