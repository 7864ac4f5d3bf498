// A realistic client config dump (made by the dump generator) with one planted secret of every class issue 12 §1
// lists, each somewhere Envoy would not have redacted it. `PLANTED` are the values that must never be printed
// without --show-secrets; `plantedDumpFile()` writes the dump for the command tests.
import {generateKeyPairSync} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {generateConfigDump} from '../../../src/lib/dump/index.js'
import type {RouteTable} from '../../../src/lib/routing/types.js'

export const HOST = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64')

const rsa = generateKeyPairSync('rsa', {modulusLength: 1024})
const ec = generateKeyPairSync('ec', {namedCurve: 'P-256'})
const ed = generateKeyPairSync('ed25519')
const rsaPkcs8 = rsa.privateKey.export({type: 'pkcs8', format: 'pem'}) as string
const rsaPkcs1 = rsa.privateKey.export({type: 'pkcs1', format: 'pem'}) as string
const ecSec1 = ec.privateKey.export({type: 'sec1', format: 'pem'}) as string
const edDer = ed.privateKey.export({type: 'pkcs8', format: 'der'}) as Buffer
const ecDer = ec.privateKey.export({type: 'pkcs8', format: 'der'}) as Buffer
const rsaDer = rsa.privateKey.export({type: 'pkcs1', format: 'der'}) as Buffer
const jwk = ec.privateKey.export({format: 'jwk'}) as Record<string, string>
const CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUPublicCertificateBodyOnlyAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END CERTIFICATE-----\n'

/** A line of a PEM body: printed nowhere if the key is not. */
const bodyLine = (pem: string) => pem.split('\n')[2]

const PGP = '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGPgpPrivateKeyMaterialQ2xhc3NpZmllZA==\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n'
const LUA = `function envoy_on_request(h)\n  h:headers():add("authorization", "Bearer lua-b3arer-t0ken-9f8e7d")\nend\n`
const WASM_JSON = JSON.stringify({upstream: 'api.example.com', api_key: 'wasm-api-key-6a5b4c', nested: {db: {Password: 'wasm-nested-pw-77'}}, headers: [{name: 'X-Vault-Token', value: 'hvs.wasm-vault-tok-3e2d'}]})
const KUBECONFIG = `apiVersion: v1\nusers:\n- name: u\n  user:\n    client-key-data: ${b64(ecSec1)}\n`

/** Each planted value, by what it is; none may appear in redacted output. */
export const PLANTED: Record<string, string> = {
  pemAtZero: bodyLine(rsaPkcs8),
  pemAtZeroB64: b64(rsaPkcs8).slice(0, 60),
  pemLeadingNewline: bodyLine(rsaPkcs1),
  pkcs12Bundle: bodyLine(ecSec1),
  chainThenKey: b64(`${CERT}${ecSec1}`).slice(-80, -20),
  pgp: 'lQOYBGPgpPrivateKeyMaterialQ2xhc3NpZmllZA',
  derUnderKeyName: b64(edDer).slice(8, 40),
  derNeutralName: b64(ecDer).slice(10, 50),
  derPkcs1: b64(rsaDer).slice(20, 80),
  awsSecret: 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY',
  awsSecretUpper: 'AKIA-upper-aws-secret-0a1b2c',
  apikey: 'apikey-plain-12345',
  apiKeySnake: 'api_key-snake-67890',
  apiKeyCamel: 'ApiKey-camel-abcde',
  authToken: 'auth-token-value-4242',
  token: 'plain-token-value-9999',
  clientSecret: 'client-secret-value-2468',
  password: 'correct-horse-battery-staple',
  passwordUpper: 'UPPER-PASSWORD-1357',
  authorizationStruct: 'struct-authz-cred-8080',
  googApiKey: 'AIzaSyGoogApiKeyValue0000',
  vaultToken: 'hvs.vault-token-value-1111',
  jwkD: jwk.d,
  basicAuthUsers: 'admin:{SHA}basic-auth-users-hash=',
  wasmApiKey: 'wasm-api-key-6a5b4c',
  wasmNestedPw: 'wasm-nested-pw-77',
  wasmVault: 'hvs.wasm-vault-tok-3e2d',
  uriPassword: 'uri-pass-w0rd-5555',
  luaBearer: 'lua-b3arer-t0ken-9f8e7d',
  mutationBearer: 'mutation-bearer-t0ken-0101',
  mutationApiKey: 'mutation-x-api-key-0202',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.cGxhbnRlZC1zaWc',
  basicHeader: b64('alice:basic-header-pw'),
  connString: 'dsn-pass-3030',
  kubeconfigInBase64: b64(KUBECONFIG).slice(40, 100),
}

function table(): RouteTable {
  return {
    name: `${HOST}_9090`,
    host: HOST,
    port: 9090,
    applicationProtocol: 'thrift',
    routes: [{
      name: 'secret-route',
      matchers: [{name: 'method', kind: 'exact', value: 'sayHello'}],
      action: {kind: 'weighted', clusters: [{name: `outbound|9090|v1|${HOST}`, weight: 1}]},
      hashPolicy: [],
      mirror: null,
      requestMutation: [{key: 'authorization', value: `Bearer ${PLANTED.mutationBearer}`}, {key: 'x-api-key', value: PLANTED.mutationApiKey}],
      responseMutation: [],
    }],
    versionInfo: '1',
    lastUpdated: '2024-05-30T09:41:07.262Z',
  }
}

/** The generated dump with every class planted. */
export function plantedDump(): any {
  const dump: any = generateConfigDump({podName: 'thrift-sample-client-6f9c7d8b5-x2k4p', namespace: 'meta-thrift', podIp: '172.17.0.95', tables: [table()],
    services: [{host: HOST, port: 9090, clusterIp: '10.98.211.57', applicationProtocol: 'thrift'}], subsetsByHost: {[HOST]: ['v1']}})
  const section = (suffix: string) => dump.configs.find((c: any) => String(c['@type']).endsWith(suffix))
  const secrets = section('SecretsConfigDump')
  const tls = (name: string, tlsCertificate: unknown) => ({name, secret: {'@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret', name, tls_certificate: tlsCertificate}})
  secrets.dynamic_active_secrets.push(
    tls('pem-at-zero', {certificate_chain: {inline_bytes: b64(CERT)}, private_key: {inline_bytes: b64(rsaPkcs8)}}),
    tls('leading-newline', {certificate_chain: {inline_string: CERT}, private_key: {inline_string: `\r\n${rsaPkcs1}`}}),
    // openssl pkcs12 -nodes output, under the chain's field name: the key is not at byte 0 and not under private_key.
    tls('pkcs12-nodes', {certificate_chain: {inline_bytes: b64(`Bag Attributes\n    localKeyID: 01 02 03\nsubject=/CN=x\n${CERT}Bag Attributes\n    localKeyID: 01 02 03\nKey Attributes: <No Attributes>\n${ecSec1}`)}}),
    tls('chain-then-key', {certificate_chain: {inline_bytes: b64(`${CERT}${ecSec1}`)}}),
    {name: 'jwks', secret: {generic_secret: {secret: {inline_string: 'x'}}}, jwk_set: {keys: [{...jwk}]}},
  )
  const bootstrap = section('BootstrapConfigDump').bootstrap
  bootstrap.node.metadata = {
    ...bootstrap.node.metadata,
    note: PGP,
    signing_key: b64(edDer),
    blob: b64(ecDer),
    legacy: `rsa=${b64(rsaDer)}`,
    aws_secret_access_key: PLANTED.awsSecret,
    AWS_SECRET_ACCESS_KEY: PLANTED.awsSecretUpper,
    apikey: PLANTED.apikey,
    api_key: PLANTED.apiKeySnake,
    ApiKey: PLANTED.apiKeyCamel,
    auth_token: PLANTED.authToken,
    token: PLANTED.token,
    client_secret: PLANTED.clientSecret,
    password: PLANTED.password,
    PASSWORD: PLANTED.passwordUpper,
    Authorization: PLANTED.authorizationStruct,
    upstream_url: `https://admin:${PLANTED.uriPassword}@db.example.com:5432/app`,
    jwt_note: `token for the probe: ${PLANTED.jwt}`,
    dsn: `host=db user=app password=${PLANTED.connString} sslmode=require`,
    kube: b64(KUBECONFIG),
  }
  const listeners = section('ListenersConfigDump')
  listeners.dynamic_listeners.push({
    name: 'planted-http',
    active_state: {listener: {name: 'planted-http', filter_chains: [{filters: [{name: 'envoy.filters.network.http_connection_manager', typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
      http_filters: [
        {name: 'envoy.filters.http.lua', typed_config: {'@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua', default_source_code: {inline_string: LUA}}},
        {name: 'envoy.filters.http.basic_auth', typed_config: {'@type': 'type.googleapis.com/envoy.extensions.filters.http.basic_auth.v3.BasicAuth', users: {inline_string: PLANTED.basicAuthUsers}}},
        {name: 'istio.wasm', typed_config: {'@type': 'type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm', config: {configuration: {'@type': 'type.googleapis.com/google.protobuf.StringValue', value: WASM_JSON}}}},
      ],
      route_config: {name: 'inline', virtual_hosts: [{name: 'vh', domains: ['*'], request_headers_to_add: [
        {header: {key: 'x-goog-api-key', value: PLANTED.googApiKey}},
        {header: {key: 'X-Vault-Token', value: PLANTED.vaultToken}},
        {header: {key: 'x-forwarded-auth', value: `Basic ${PLANTED.basicHeader}`}},
      ]}]},
    }}]}]}},
  })
  return dump
}

/** Writes the planted dump as pretty JSON into `dir`; returns its path. */
export function plantedDumpFile(dir: string): string {
  const file = join(dir, 'planted-secrets-dump.json')
  writeFileSync(file, JSON.stringify(plantedDump(), null, 2))
  return file
}

/** The planted values found in `text` (should be none). */
export function leakedIn(text: string): string[] {
  return Object.entries(PLANTED).filter(([, v]) => text.includes(v)).map(([k]) => k)
}
