// Secret redaction beyond Envoy's own (config-dump.md §1.6): every kind, with counts, never leaking.

import {describe, expect, it} from 'vitest'
import {generateConfigDump, REDACTED, REDACTED_BYTES, redactSecrets} from '../../../src/lib/dump/index.js'
import {leakedIn, PLANTED, plantedDump} from './planted-secrets.js'
import {fixtureJson, METHOD_V1} from './fixtures.js'

const b64 = (text: string) => Buffer.from(text).toString('base64')
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-secret-key-material\n-----END PRIVATE KEY-----\n'
const RSA_KEY = '-----BEGIN RSA PRIVATE KEY-----\nrsa-secret-key-material\n-----END RSA PRIVATE KEY-----'
const CHAIN = b64('-----BEGIN CERTIFICATE-----\npublic-cert\n-----END CERTIFICATE-----\n')
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqd3Qtc2VjcmV0In0.c2lnbmF0dXJlLXNlY3JldA'
const SECRET_VALUES = [
  b64(PEM_KEY),
  'pkcs12-secret-bytes',
  'tls-password-secret',
  'ticket-key-one-secret',
  'ticket-key-two-secret',
  'generic-hmac-secret',
  'typed-struct-hmac-secret',
  'oauth-client-secret',
  'Bearer header-token-secret',
  'Basic dXNlcjpwYXNzLXNlY3JldA==',
  JWT,
  'Bearer struct-token-secret',
  RSA_KEY,
  'cookie-session-secret',
  'matcher-token-secret',
  'env-password-secret',
  'dashed-secret',
]

function secretDump() {
  return {
    configs: [
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump',
        dynamic_active_secrets: [
          {name: 'default', secret: {'@type': 'x.Secret', name: 'default', tls_certificate: {certificate_chain: {inline_bytes: CHAIN}, private_key: {inline_bytes: b64(PEM_KEY)}, pkcs12: {inline_bytes: 'pkcs12-secret-bytes'}, password: {inline_string: 'tls-password-secret'}}}},
          {name: 'already', secret: {tls_certificate: {certificate_chain: {inline_bytes: CHAIN}, private_key: {inline_bytes: REDACTED_BYTES}}}},
          {name: 'hmac', secret: {generic_secret: {secret: {inline_string: 'generic-hmac-secret'}}}},
          {name: 'ROOTCA', secret: {validation_context: {trusted_ca: {inline_bytes: CHAIN}}}},
        ],
      },
      {
        '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
        dynamic_listeners: [
          {
            name: 'l',
            active_state: {
              listener: {
                filter_chains: [
                  {
                    transport_socket: {typed_config: {session_ticket_keys: {keys: [{inline_bytes: 'ticket-key-one-secret'}, {inline_bytes: 'ticket-key-two-secret'}]}}},
                    filters: [
                      {
                        name: 'oauth',
                        typed_config: {
                          '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
                          value: {
                            hmacSecret: {inlineString: 'typed-struct-hmac-secret'},
                            credentials: {clientSecret: 'oauth-client-secret', token_secret: {name: 'token', sds_config: {ads: {}}}},
                            request_headers_to_add: [{header: {key: 'Authorization', value: 'Bearer header-token-secret'}}],
                            grpc: {initial_metadata: [{key: 'authorization', value: 'Basic dXNlcjpwYXNzLXNlY3JldA=='}]},
                            request_mutation: [{key: 'x-token', value: JWT}],
                            metadata: {note: 'Bearer struct-token-secret', key_file: RSA_KEY, DB_PASSWORD: 'env-password-secret', 'client-secret': 'dashed-secret'},
                            headers: [{name: 'cookie', exact_match: 'cookie-session-secret'}, {name: 'Proxy-Authorization', string_match: {exact: 'matcher-token-secret'}}],
                          },
                        },
                      },
                    ],
                  },
                ],
              },
            },
          },
        ],
      },
    ],
  }
}

describe('redactSecrets', () => {
  it('redacts every secret kind and counts each', () => {
    const input = secretDump()
    const result = redactSecrets(input)
    expect(result.byKind).toEqual({
      private_key: 2,
      pkcs12: 1,
      password: 2,
      generic_secret: 1,
      session_ticket_keys: 1,
      hmac_secret: 1,
      credential: 2,
      auth_header: 5,
      bearer_token: 1,
    })
    expect(result.redactedCount).toBe(16)
    expect(result.alreadyRedactedCount).toBe(1)
    const text = JSON.stringify(result.dump)
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret)
    expect(text).not.toContain('secret-key-material')
  })

  it('replaces each secret by a marker naming what it was and its size (decoded size for bytes fields)', () => {
    const dump = redactSecrets(secretDump()).dump as any
    const cert = dump.configs[0].dynamic_active_secrets[0].secret.tls_certificate as Record<string, Record<string, string>>
    expect(cert.private_key.inline_bytes).toBe(`[redacted: PEM private key, ${Buffer.byteLength(PEM_KEY)} bytes]`)
    expect(cert.password.inline_string).toBe(`[redacted: password, ${'tls-password-secret'.length} bytes]`)
    // Envoy's own redaction is left as Envoy printed it.
    expect(dump.configs[0].dynamic_active_secrets[1].secret.tls_certificate.private_key.inline_bytes).toBe(REDACTED_BYTES)
    // Certificates are public and stay.
    expect(cert.certificate_chain.inline_bytes).toBe(CHAIN)
    expect(dump.configs[0].dynamic_active_secrets[3]).toEqual((secretDump() as any).configs[0].dynamic_active_secrets[3])
  })

  it('names the paths it redacted, leaves SDS references and header names, and does not modify the input', () => {
    const input = secretDump()
    const before = JSON.stringify(input)
    const result = redactSecrets(input) as {dump: any; paths: string[]}
    expect(JSON.stringify(input)).toBe(before)
    expect(result.paths).toContain('configs[0].dynamic_active_secrets[0].secret.tls_certificate.private_key.inline_bytes')
    expect(result.paths).toContain('configs[1].dynamic_listeners[0].active_state.listener.filter_chains[0].transport_socket.typed_config.session_ticket_keys.keys[0].inline_bytes')
    const value = (result.dump.configs[1].dynamic_listeners[0].active_state.listener.filter_chains[0].filters[0].typed_config as {value: Record<string, any>}).value
    expect(value.credentials.token_secret).toEqual({name: 'token', sds_config: {ads: {}}})
    expect(value.request_headers_to_add[0].header).toEqual({key: 'Authorization', value: '[redacted: bearer token, 26 bytes]'})
    expect(value.request_mutation[0]).toEqual({key: 'x-token', value: `[redacted: JWT, ${JWT.length} bytes]`})
  })

  it('finds the fixture private key already redacted by Envoy and changes nothing else', () => {
    const fixture = fixtureJson(METHOD_V1)
    const result = redactSecrets(fixture)
    expect(result.redactedCount).toBe(0)
    expect(result.alreadyRedactedCount).toBe(1)
    expect(result.dump).toEqual(fixture)
    const secrets = fixture.configs.find((c) => String(c['@type']).endsWith('SecretsConfigDump')) as any
    expect(Buffer.from(secrets.dynamic_active_secrets[0].secret.tls_certificate.private_key.inline_bytes, 'base64').toString()).toBe('[redacted]')
  })
})

describe('redactSecrets on the planted-secret dump (issue 12 §1)', () => {
  const planted = plantedDump()
  const result = redactSecrets(planted)
  const text = JSON.stringify(result.dump)
  const at = (path: string) => path.split('.').reduce((v: any, k) => v?.[k], result.dump)
  const metadata = (result.dump as any).configs[0].bootstrap.node.metadata

  it('leaves no planted value, and the planted dump has them all', () => {
    expect(leakedIn(text)).toEqual([])
    expect(leakedIn(JSON.stringify(planted)).length).toBeGreaterThanOrEqual(Object.keys(PLANTED).length - 2)
  })

  it('finds PEM keys wherever they start in a bytes or string field: pkcs12 -nodes bundles, a leading CRLF, a chain then a key', () => {
    const secrets = (result.dump as any).configs.find((c: any) => c['@type'].endsWith('SecretsConfigDump')).dynamic_active_secrets
    const byName = (n: string) => secrets.find((s: any) => s.name === n).secret.tls_certificate
    expect(byName('pem-at-zero').private_key.inline_bytes).toMatch(/^\[redacted: PEM private key, \d+ bytes\]$/)
    expect(byName('leading-newline').private_key.inline_string).toMatch(/^\[redacted: PEM private key, \d+ bytes\]$/)
    expect(byName('pkcs12-nodes').certificate_chain.inline_bytes).toMatch(/^\[redacted: PEM private key, \d+ bytes\]$/)
    expect(byName('chain-then-key').certificate_chain.inline_bytes).toMatch(/^\[redacted: PEM private key, \d+ bytes\]$/)
    // A chain alone is public.
    expect(byName('leading-newline').certificate_chain.inline_string).toContain('BEGIN CERTIFICATE')
  })

  it('finds PGP blocks, DER keys (PKCS#8, PKCS#1, SEC1) in base64 under any name, and base64 inside base64', () => {
    expect(metadata.note).toMatch(/^\[redacted: PGP private key, /)
    expect(metadata.signing_key).toMatch(/^\[redacted: /)
    expect(metadata.blob).toBe(`[redacted: DER private key, ${Buffer.byteLength((planted as any).configs[0].bootstrap.node.metadata.blob)} bytes]`)
    expect(metadata.legacy).toMatch(/^\[redacted: DER private key/)
    expect(metadata.kube).toMatch(/^\[redacted: PEM private key \(base64\)/)
  })

  it('redacts by name in any case and spelling, JWK private members, BasicAuth users and credential headers', () => {
    for (const key of ['aws_secret_access_key', 'AWS_SECRET_ACCESS_KEY', 'apikey', 'api_key', 'ApiKey', 'auth_token', 'token', 'client_secret', 'password', 'PASSWORD', 'Authorization']) {
      expect(metadata[key], key).toMatch(/^\[redacted: [a-zA-Z ]+, \d+ bytes\]$/)
    }
    expect(text).toContain('"kty":"EC"')
    expect(result.paths.some((p) => p.endsWith('jwk_set.keys[0].d'))).toBe(true)
    expect(result.paths.some((p) => p.endsWith('typed_config.users.inline_string'))).toBe(true)
    expect(text).toContain('"key":"x-goog-api-key"')
  })

  it('reads JSON inside strings (a WasmPlugin StringValue), URI passwords, bearer tokens in Lua code, Basic credentials and name=value text', () => {
    const wasm = result.paths.filter((p) => p.includes('(json)'))
    expect(wasm).toHaveLength(3)
    const filter = at('configs').find((c: any) => c['@type'].endsWith('ListenersConfigDump')).dynamic_listeners.at(-1).active_state.listener.filter_chains[0].filters[0].typed_config
    const config = JSON.parse(filter.http_filters[2].typed_config.config.configuration.value)
    expect(config.upstream).toBe('api.example.com')
    expect(config.nested.db.Password).toMatch(/^\[redacted: password/)
    expect(filter.http_filters[0].typed_config.default_source_code.inline_string).toMatch(/^\[redacted: bearer token, \d+ bytes\]$/)
    expect(metadata.upstream_url).toMatch(/^\[redacted: URI password/)
    expect(metadata.dsn).toMatch(/^\[redacted: password in text/)
    expect(metadata.jwt_note).toMatch(/^\[redacted: JWT/)
    expect(filter.route_config.virtual_hosts[0].request_headers_to_add[2].header.value).toMatch(/^\[redacted: basic auth credentials/)
  })

  it('redacts request_mutation values in the Aeraki route tables', () => {
    expect(result.paths.filter((p) => p.includes('request_mutation'))).toHaveLength(2)
  })

  it('changes nothing in a dump without secrets (no false positives on names, certificates, cluster names)', () => {
    const clean = generateConfigDump({podName: 'p', namespace: 'n', podIp: '10.0.0.1', tables: [], services: [{host: 'a-very-long-service-name-with-many-dashes-abcdefghijkl.ns.svc.cluster.local', port: 9090, clusterIp: '10.0.0.2', applicationProtocol: 'thrift'}]})
    const r = redactSecrets(clean)
    expect(r.redactedCount).toBe(0)
    expect(r.dump).toEqual(clean)
    expect(redactSecrets({token_bucket: {max_tokens: 10, tokens_per_fill: 5}, key: 'authorization', note: 'Bearer authentication is used'}).redactedCount).toBe(0)
  })

  it('takes names from its own tables only: fields named like Object.prototype members are not secrets', () => {
    const dump = {constructor: 'a', toString: 'b', valueOf: {name: 'c', length: 'd'}, constructorName: {constructor: 'e'}, hasOwnProperty: 'f'}
    const r = redactSecrets(dump)
    expect(r.redactedCount).toBe(0)
    expect(r.dump).toEqual(dump)
  })

  it('walks 50,000 nested levels, arrays and objects, without recursion', () => {
    let deep: any = {password: 'deep-nested-password'}
    for (let i = 0; i < 50_000; i++) deep = i % 2 ? {a: deep} : [deep]
    const r = redactSecrets(deep)
    expect(r.redactedCount).toBe(1)
    let v: any = r.dump
    for (let i = 0; i < 50_000; i++) v = Array.isArray(v) ? v[0] : v.a
    expect(v.password).toBe('[redacted: password, 20 bytes]')
  })

  it('copies only plain data: Maps, bigints and class instances pass through', () => {
    const m = new Map([['k', 'v']])
    const r = redactSecrets({m, n: 18446744073709551615n, s: 'x'})
    expect(r.dump.m).toBe(m)
    expect(r.dump.n).toBe(18446744073709551615n)
  })
})
