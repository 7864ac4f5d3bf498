// Route configuration names are `<host>_<port>` (Aeraki internal/model/utils.go, config-dump.md §2.3).
// Hosts may contain underscores, so split at the LAST one. Inbound inline configs are named
// `inbound|<port>||` instead (config-dump.md §2.3, inbound side).

export interface TableNameParts {
  host: string
  port: number
}

export function parseRouteTableName(name: string): TableNameParts {
  const underscore = name.lastIndexOf('_')
  if (underscore !== -1) {
    const port = name.slice(underscore + 1)
    if (/^\d+$/.test(port)) return {host: name.slice(0, underscore), port: Number(port)}
  }
  const inbound = /^(?:inbound|outbound)\|(\d+)\|[^|]*\|(.*)$/.exec(name)
  if (inbound) return {host: inbound[2], port: Number(inbound[1])}
  return {host: name, port: 0}
}

export function routeTableName(host: string, port: number): string {
  return `${host}_${port}`
}
