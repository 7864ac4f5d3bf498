// `sidecar-config -o table`: istioctl-style summaries per --section. The MetaProtocol tables come from the
// dump library; the others are short overviews (the full content is one `-o json` away).
import {
  extractClusters,
  extractMetaProtocolListeners,
  extractMetaProtocolRouteTablesDetailed,
  listListeners,
  renderMetaProtocolTables,
  renderRoutesTable,
  renderTextTable,
  type ConfigDump,
  type DumpSection,
  type TextTableOptions,
} from '../dump/index.js'
import {anyTypeName, arrayField, objectField, stringField} from '../dump/json.js'
import {sectionTypeOf} from '../dump/type-urls.js'
import {palette} from './style.js'

function optionsFor(color: boolean): TextTableOptions {
  if (!color) return {}
  const c = palette(true)
  return {decorate: (text, cell) => (cell.row === -1 ? c.bold(text) : text)}
}

function heading(text: string, color: boolean): string {
  return color ? palette(true).bold(text) : text
}

function sectionsOverview(dump: ConfigDump, o: TextTableOptions): string {
  const rows = dump.configs.map((entry, i) => {
    const type = anyTypeName(entry) ?? '?'
    const kind = sectionTypeOf(type)?.kind ?? 'unknown'
    const items = Object.entries(entry as Record<string, unknown>)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => `${k}: ${(v as unknown[]).length}`)
      .join(', ')
    return [String(i), kind, type, items || '-']
  })
  return renderTextTable([{header: '#', align: 'right'}, {header: 'SECTION'}, {header: '@TYPE'}, {header: 'ITEMS'}], rows, o)
}

function listenersTable(dump: ConfigDump, o: TextTableOptions): string {
  const meta = new Map(extractMetaProtocolListeners(dump).map((l) => [`${l.name}/${l.state}`, l]))
  const rows = listListeners(dump).map((r) => {
    const socket = objectField(objectField(r.listener, 'address'), 'socket_address')
    const m = meta.get(`${r.name}/${r.state}`)
    return [r.name, stringField(socket, 'address') ?? '-', String(socket?.port_value ?? socket?.portValue ?? '-'), r.state, m ? `MetaProtocol ${m.applicationProtocol} → ${m.routeConfigName}` : '-']
  })
  return renderTextTable([{header: 'LISTENER'}, {header: 'ADDRESS'}, {header: 'PORT', align: 'right'}, {header: 'STATE'}, {header: 'METAPROTOCOL'}], rows, o)
}

function clustersTable(dump: ConfigDump, o: TextTableOptions): string {
  const rows = extractClusters(dump).map((c) => [c.host ?? c.name, c.port === undefined ? '-' : String(c.port), c.subset || '-', c.direction ?? '-', c.type, c.state])
  return renderTextTable([{header: 'SERVICE FQDN'}, {header: 'PORT', align: 'right'}, {header: 'SUBSET'}, {header: 'DIRECTION'}, {header: 'TYPE'}, {header: 'STATE'}], rows, o)
}

/** Envoy's own (HTTP) route configs: shown apart so nobody mistakes them for MetaProtocol routes. */
function envoyRoutesTable(dump: ConfigDump, o: TextTableOptions): string | undefined {
  const rows: string[][] = []
  for (const entry of dump.configs) {
    const type = anyTypeName(entry)
    if (!type || sectionTypeOf(type)?.kind !== 'routes') continue
    for (const list of ['static_route_configs', 'dynamic_route_configs']) {
      for (const item of arrayField(entry, list)) {
        const rc = objectField(item, 'route_config')
        const vhosts = arrayField(rc, 'virtual_hosts')
        rows.push([stringField(rc, 'name') || '(unnamed)', list.startsWith('static') ? 'static' : 'dynamic', String(vhosts.length), stringField(item, 'version_info') ?? '-'])
      }
    }
  }
  if (rows.length === 0) return undefined
  return renderTextTable([{header: 'NAME'}, {header: 'SOURCE'}, {header: 'VIRTUAL HOSTS', align: 'right'}, {header: 'VERSION'}], rows, o)
}

function secretsTable(dump: ConfigDump, o: TextTableOptions): string {
  const rows: string[][] = []
  for (const entry of dump.configs) {
    const type = anyTypeName(entry)
    if (!type || sectionTypeOf(type)?.kind !== 'secrets') continue
    for (const [list, state] of [['static_secrets', 'static'], ['dynamic_active_secrets', 'active'], ['dynamic_warming_secrets', 'warming']]) {
      for (const item of arrayField(entry, list)) {
        const secret = objectField(item, 'secret')
        const kind = objectField(secret, 'tls_certificate') ? 'certificate chain and key' : objectField(secret, 'validation_context') ? 'trust bundle (CA)' : objectField(secret, 'generic_secret') ? 'generic secret' : '-'
        rows.push([stringField(item, 'name') ?? stringField(secret, 'name') ?? '-', state, kind, stringField(item, 'version_info') ?? '-', stringField(item, 'last_updated') ?? '-'])
      }
    }
  }
  return renderTextTable([{header: 'RESOURCE NAME'}, {header: 'STATE'}, {header: 'TYPE'}, {header: 'VERSION'}, {header: 'LAST UPDATE'}], rows, o)
}

function bootstrapTable(dump: ConfigDump, o: TextTableOptions): string {
  const rows: string[][] = []
  for (const entry of dump.configs) {
    const type = anyTypeName(entry)
    if (!type || sectionTypeOf(type)?.kind !== 'bootstrap') continue
    const b = objectField(entry, 'bootstrap')
    const node = objectField(b, 'node')
    const admin = objectField(objectField(objectField(b, 'admin'), 'address'), 'socket_address')
    const statics = arrayField(objectField(b, 'static_resources'), 'clusters').map((c) => stringField(c, 'name')).filter(Boolean)
    rows.push(['node id', stringField(node, 'id') ?? '-'], ['node cluster', stringField(node, 'cluster') ?? '-'])
    rows.push(['admin', admin ? `${stringField(admin, 'address')}:${admin.port_value ?? admin.portValue}` : '-'])
    rows.push(['static clusters', statics.join(', ') || '-'], ['last updated', stringField(entry, 'last_updated') ?? '-'])
  }
  return renderTextTable([{header: 'BOOTSTRAP'}, {header: 'VALUE'}], rows, o)
}

export function renderSidecarTables(dump: ConfigDump, section: DumpSection, color: boolean): string {
  const o = optionsFor(color)
  const blocks: string[] = []
  switch (section) {
    case 'all':
      blocks.push(`${heading('Sections', color)}\n${sectionsOverview(dump, o)}`, renderMetaProtocolTables(dump, o).trimEnd())
      break
    case 'metaprotocol':
      blocks.push(renderMetaProtocolTables(dump, o).trimEnd())
      break
    case 'listeners':
      blocks.push(`${heading('Listeners', color)}\n${listenersTable(dump, o)}`)
      break
    case 'clusters':
      blocks.push(`${heading('Clusters', color)}\n${clustersTable(dump, o)}`)
      break
    case 'routes': {
      const {tables} = extractMetaProtocolRouteTablesDetailed(dump)
      blocks.push(tables.length > 0 ? `${heading('MetaProtocol routes', color)}\n${renderRoutesTable(tables, o)}` : 'MetaProtocol routes: none in this dump')
      const envoy = envoyRoutesTable(dump, o)
      if (envoy) blocks.push(`${heading('Envoy HTTP routes (not MetaProtocol)', color)}\n${envoy}`)
      break
    }
    case 'secrets':
      blocks.push(`${heading('Secrets', color)}\n${secretsTable(dump, o)}`)
      break
    case 'bootstrap':
      blocks.push(bootstrapTable(dump, o))
      break
  }
  return blocks.join('\n\n') + '\n'
}
