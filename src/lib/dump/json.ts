// Plain-JSON helpers shared by the dump readers. Envoy prints proto field names in snake_case, istioctl
// `-o json` in lowerCamelCase (config-dump.md §1.7), so every lookup accepts both spellings instead of
// converting the whole (possibly 50 MB) dump up front.

export type JsonObject = Record<string, unknown>

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const camelCache = new Map<string, string>()

/** `route_config_name` → `routeConfigName` (memoised: the same few dozen names are looked up millions of times). */
export function snakeToCamel(name: string): string {
  let camel = camelCache.get(name)
  if (camel === undefined) {
    camel = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
    camelCache.set(name, camel)
  }
  return camel
}

/** `routeConfigName` → `route_config_name`; snake_case input is returned unchanged. */
export function camelToSnake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())
}

/** Reads a proto field by its snake_case name, falling back to the lowerCamelCase JSON name. */
export function field(obj: unknown, snakeName: string): unknown {
  if (!isObject(obj)) return undefined
  const direct = obj[snakeName]
  if (direct !== undefined) return direct
  return obj[snakeToCamel(snakeName)]
}

export function objectField(obj: unknown, snakeName: string): JsonObject | undefined {
  const value = field(obj, snakeName)
  return isObject(value) ? value : undefined
}

export function arrayField(obj: unknown, snakeName: string): unknown[] {
  const value = field(obj, snakeName)
  return Array.isArray(value) ? value : []
}

export function stringField(obj: unknown, snakeName: string): string | undefined {
  const value = field(obj, snakeName)
  return typeof value === 'string' ? value : undefined
}

/**
 * Reads a numeric field. Protobuf JSON prints 64-bit integers as strings and wrapper types
 * (UInt32Value) may appear as `{"value": n}` in hand-written input, so all three forms are accepted.
 */
export function numberField(obj: unknown, snakeName: string): number | undefined {
  return toNumber(field(obj, snakeName))
}

export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  if (isObject(value) && 'value' in value) return toNumber(value.value)
  return undefined
}

export function booleanField(obj: unknown, snakeName: string): boolean | undefined {
  const value = field(obj, snakeName)
  if (typeof value === 'boolean') return value
  if (isObject(value) && typeof value.value === 'boolean') return value.value
  return undefined
}

/** The `@type` of a JSON Any without the `type.googleapis.com/` host part. */
export function anyTypeName(obj: unknown): string | undefined {
  const url = isObject(obj) ? obj['@type'] : undefined
  return typeof url === 'string' ? typeNameOf(url) : undefined
}

export function typeNameOf(typeUrl: string): string {
  const slash = typeUrl.lastIndexOf('/')
  return slash === -1 ? typeUrl : typeUrl.slice(slash + 1)
}
