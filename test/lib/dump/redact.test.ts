// Secret redaction beyond Envoy's own (config-dump.md §1.6): every kind, with counts, never leaking.

import {describe, expect, it} from 'vitest'
import {REDACTED, REDACTED_BYTES, redactSecrets} from '../../../src/lib/dump/index.js'
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
      auth_header: 4,
      jwt: 1,
      bearer_token: 1,
    })
    expect(result.redactedCount).toBe(16)
    expect(result.alreadyRedactedCount).toBe(1)
    const text = JSON.stringify(result.dump)
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret)
    expect(text).not.toContain('secret-key-material')
  })

  it('keeps bytes fields decodable as "[redacted]" and strings as "[redacted]"', () => {
    const dump = redactSecrets(secretDump()).dump as any
    const cert = dump.configs[0].dynamic_active_secrets[0].secret.tls_certificate as Record<string, Record<string, string>>
    expect(Buffer.from(cert.private_key.inline_bytes, 'base64').toString()).toBe(REDACTED)
    expect(cert.password.inline_string).toBe(REDACTED)
    // Certificates are public and stay.
    expect(cert.certificate_chain.inline_bytes).toBe(CHAIN)
    expect(dump.configs[0].dynamic_active_secrets[3]).toEqual((secretDump() as any).configs[0].dynamic_active_secrets[3])
  })

  it('names the paths it redacted, leaves SDS references and header names, and does not modify the input', () => {
    const input = secretDump()
    const before = JSON.stringify(input)
    const result = redactSecrets(input) as {dump: any; paths: string[]}
    expect(JSON.stringify(input)).toBe(before)
    expect(result.paths).toContain('configs[0].dynamic_active_secrets[0].secret.tls_certificate.private_key')
    expect(result.paths).toContain('configs[1].dynamic_listeners[0].active_state.listener.filter_chains[0].transport_socket.typed_config.session_ticket_keys')
    const value = (result.dump.configs[1].dynamic_listeners[0].active_state.listener.filter_chains[0].filters[0].typed_config as {value: Record<string, any>}).value
    expect(value.credentials.token_secret).toEqual({name: 'token', sds_config: {ads: {}}})
    expect(value.request_headers_to_add[0].header).toEqual({key: 'Authorization', value: REDACTED})
    expect(value.request_mutation[0]).toEqual({key: 'x-token', value: REDACTED})
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
