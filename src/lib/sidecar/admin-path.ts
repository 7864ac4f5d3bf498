// The /config_dump query for a `--section`, so Envoy sends only what is shown (istioctl's masks,
// config-dump.md §4.2). Sections that need several Envoy sections (MetaProtocol tables need listeners,
// Aeraki routes and clusters) are fetched whole; the client selects by @type either way.
import type {DumpSection} from '../dump/index.js'

const MASKS: Partial<Record<DumpSection, string>> = {
  bootstrap: 'bootstrap',
  listeners: 'dynamic_listeners,static_listeners',
  clusters: 'dynamic_active_clusters,dynamic_warming_clusters,static_clusters',
  // Both RoutesConfigDump types (Envoy's and Aeraki's) have these fields.
  routes: 'dynamic_route_configs,static_route_configs',
  secrets: 'dynamic_active_secrets,dynamic_warming_secrets,static_secrets',
}

/** `config_dump` or `config_dump?…`, without a leading slash (pilot-agent's form). */
export function configDumpPath(section: DumpSection, includeEds: boolean): string {
  const params = new URLSearchParams()
  // Endpoints are a section of their own that a mask would drop, so --include-eds fetches unmasked.
  if (includeEds) params.set('include_eds', 'true')
  else if (MASKS[section]) params.set('mask', MASKS[section]!)
  const query = params.toString().replace(/%2C/g, ',')
  return query ? `config_dump?${query}` : 'config_dump'
}
