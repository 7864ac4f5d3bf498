// Variants of the fixture dumps for the sidecar-config and verify tests: camelCase keys, extra sections that
// shift the Aeraki section's index, leaked secrets, and a large dump.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

type Json = any

export function loadFixture(dir: string, name: string): Json {
  return JSON.parse(readFileSync(join(dir, name), 'utf8'))
}

const snakeToCamel = (k: string) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())

/** Every key in lowerCamelCase, as istioctl's protojson prints (`@type` kept). */
export function camelCased(value: Json): Json {
  if (Array.isArray(value)) return value.map(camelCased)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === '@type' ? k : snakeToCamel(k), camelCased(v)]))
  return value
}

function insertBeforeListeners(dump: Json, section: Json): Json {
  const configs = [...dump.configs]
  const at = configs.findIndex((c: Json) => c['@type'].endsWith('ListenersConfigDump'))
  configs.splice(at, 0, section)
  return {...dump, configs}
}

/** What `?include_eds` adds: an EndpointsConfigDump before the listeners. */
export function withEndpoints(dump: Json): Json {
  return insertBeforeListeners(dump, {
    '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
    dynamic_endpoint_configs: [{endpoint_config: {'@type': 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment', cluster_name: 'outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local',
      endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: '172.17.0.96', port_value: 9090}}}}]}]}}],
  })
}

/** A configured ECDS filter (e.g. a WasmPlugin) adds an EcdsConfigDump before the listeners. */
export function withEcds(dump: Json): Json {
  return insertBeforeListeners(dump, {
    '@type': 'type.googleapis.com/envoy.admin.v3.EcdsConfigDump',
    ecds_filters: [{version_info: '1', ecds_filter: {'@type': 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig', name: 'istio-system.stats-wasm'}, last_updated: '2024-05-30T09:20:11Z'}],
  })
}

export const LEAKED = {
  pemBody: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDfakeFAKEfakeKEYmaterialXYZ',
  password: 'hunter2-correct-horse-battery',
  token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZXJha2kifQ.c2lnbmF0dXJlLWJ5dGVz',
}

/** The fixture with secrets Envoy would not have redacted: a private key, a password in Struct metadata, a bearer token header. */
export function withLeakedSecrets(dump: Json): Json {
  const copy = structuredClone(dump)
  const pem = `-----BEGIN PRIVATE KEY-----\n${LEAKED.pemBody}\n-----END PRIVATE KEY-----\n`
  for (const c of copy.configs) {
    if (c['@type'].endsWith('SecretsConfigDump')) {
      c.dynamic_active_secrets[0].secret.tls_certificate.private_key = {inline_bytes: Buffer.from(pem).toString('base64')}
      c.dynamic_active_secrets.push({name: 'db', secret: {'@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret', name: 'db', generic_secret: {secret: {inline_string: LEAKED.password}}}})
    }
    if (c['@type'].endsWith('BootstrapConfigDump')) {
      c.bootstrap.node.metadata = {...c.bootstrap.node.metadata, DB_PASSWORD: LEAKED.password, 'x-auth': `Bearer ${LEAKED.token}`}
    }
  }
  return copy
}

/** The fixture grown to about `bytes` of pretty JSON by repeating its outbound clusters under new names. */
export function largeDump(dump: Json, bytes: number): Json {
  const copy = structuredClone(dump)
  const clusters = copy.configs.find((c: Json) => c['@type'].endsWith('ClustersConfigDump'))
  const template = clusters.dynamic_active_clusters.find((c: Json) => c.cluster.name.startsWith('outbound|9090|v1|'))
  const one = JSON.stringify(template, null, 2).length
  const count = Math.ceil(bytes / (one + 20))
  for (let i = 0; i < count; i++) {
    const c = structuredClone(template)
    c.cluster.name = `outbound|9090|v1|svc-${i}.bulk.svc.cluster.local`
    clusters.dynamic_active_clusters.push(c)
  }
  return copy
}
