// The SecretsConfigDump: the workload certificate `default` with its private key already redacted the way
// Envoy prints it (base64 of "[redacted]"), and the root certificate `ROOTCA` (config-dump.md §1.6).

import {fakePemBase64, typed} from './generate-common.js'
import type {JsonObject} from './json.js'
import {REDACTED_BYTES} from './redact.js'
import {ENVOY_SECRET} from './type-urls.js'

export function secretsSection(versionInfo: string, lastUpdated: string, workload: string): JsonObject {
  return typed('envoy.admin.v3.SecretsConfigDump', {
    dynamic_active_secrets: [
      {
        name: 'default',
        version_info: versionInfo,
        last_updated: lastUpdated,
        secret: typed(ENVOY_SECRET, {
          name: 'default',
          tls_certificate: {
            certificate_chain: {inline_bytes: fakePemBase64(`workload certificate of ${workload}`)},
            private_key: {inline_bytes: REDACTED_BYTES},
          },
        }),
      },
      {
        name: 'ROOTCA',
        version_info: versionInfo,
        last_updated: lastUpdated,
        secret: typed(ENVOY_SECRET, {name: 'ROOTCA', validation_context: {trusted_ca: {inline_bytes: fakePemBase64('root certificate')}}}),
      },
    ],
  })
}
