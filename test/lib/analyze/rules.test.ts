// Every analyze rule: one input that triggers it and a close variant that does not.
import {dump} from 'js-yaml'
import {describe, expect, it} from 'vitest'
import {analyzeObjects} from '../../../src/lib/analyze/analyze.js'
import {parseManifests} from '../../../src/lib/resources/parse.js'

const T = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const D = 'org.apache.dubbo.samples.basic.api.demoservice'
const base = [
  {apiVersion: 'v1', kind: 'Service', metadata: {name: 'thrift-sample-server', namespace: 'meta-thrift'}, spec: {ports: [{name: 'tcp-metaprotocol-thrift-hello-server', port: 9090}]}},
  {apiVersion: 'v1', kind: 'Service', metadata: {name: 'plain', namespace: 'meta-thrift'}, spec: {ports: [{name: 'http', port: 80}]}},
  {apiVersion: 'v1', kind: 'Service', metadata: {name: 'rate-limit-server', namespace: 'meta-thrift'}, spec: {ports: [{name: 'tcp-rate-limit-server', port: 8081}]}},
  {apiVersion: 'networking.istio.io/v1alpha3', kind: 'DestinationRule', metadata: {name: 'dr', namespace: 'meta-thrift'}, spec: {host: T, subsets: [{name: 'v1', labels: {version: 'v1'}}, {name: 'v2', labels: {version: 'v2'}}]}},
  {apiVersion: 'networking.istio.io/v1alpha3', kind: 'ServiceEntry', metadata: {name: 'dubbo', namespace: 'meta-dubbo'}, spec: {hosts: [D], ports: [{number: 20880, name: 'tcp-metaprotocol-dubbo', protocol: 'TCP'}]}},
]
const to = (subset?: string, extra: object = {}) => ({destination: {host: T, ...(subset ? {subset} : {}), ...extra}})
const mr = (spec: object, name = 'r', ns = 'meta-thrift') => ({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name, namespace: ns}, spec: {hosts: [T], ...spec}})
const routes = (...rs: object[]) => ({routes: rs})
const one = (extra: object = {}) => ({name: 'x', route: [to('v1')], ...extra})
const onMethod = (sm: object, subset = 'v1', name = 'm') => ({name, match: {attributes: {method: sm}}, route: [to(subset)]})

function codes(objects: object[]): string[] {
  const text = [...base, ...objects].map(o => dump(o)).join('---\n')
  return analyzeObjects(parseManifests(text, 'case.yaml')).findings.map(f => f.code)
}

const pod = (version: string, phase = 'Running') => ({apiVersion: 'v1', kind: 'Pod', metadata: {name: `server-${version}-${phase}`, namespace: 'meta-thrift', labels: {app: 'thrift-sample-server', version}}, status: {phase}})
const selecting = {...base[0], spec: {...(base[0] as any).spec, selector: {app: 'thrift-sample-server'}}}

const rateLimitConfig = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'rate-limit-config', namespace: 'meta-thrift'}, data: {'config.yaml': 'domain: production\ndescriptors:\n  - key: method\n    value: sayHello\n    rate_limit: {unit: minute, requests_per_unit: 10}\n'}}

const hashedDr = {...base[3], spec: {...(base[3] as any).spec, trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: 'method'}}}}}

const cases: Array<[code: string, triggers: object[], clean: object[]]> = [
  ['SUBSET_SELECTS_NO_PODS', [selecting, pod('v1'), pod('v2', 'Pending'), mr(routes({name: 'x', route: [to('v2')]}))], [selecting, pod('v1'), pod('v2'), mr(routes({name: 'x', route: [to('v2')]}))]],
  ['SCHEMA_UNKNOWN_VERSION', [{...mr(routes(one())), apiVersion: 'metaprotocol.aeraki.io/v1beta1'}], [mr(routes(one()))]],
  ['WEBHOOK_DESTINATION_HOST', [mr(routes({name: 'x', route: [{destination: {host: 'Not_A_Host'}}]}))], [mr(routes(one()))]],
  ['WEBHOOK_SUBSET_NAME', [mr(routes({name: 'x', route: [to('V_1')]}))], [mr(routes({name: 'x', route: [to('v1')]}))]],
  ['WEBHOOK_PORT', [mr(routes({name: 'x', route: [to('v1', {port: {number: 70000}})]}))], [mr(routes({name: 'x', route: [to('v1', {port: {number: 9090}})]}))]],
  ['WEBHOOK_NO_DESTINATION', [mr(routes({name: 'x'}))], [mr(routes(one()))]],
  ['WEBHOOK_REGEX_EMPTY', [mr(routes(onMethod({regex: ''})))], [mr(routes(onMethod({regex: '.+'})))]],
  ['WEBHOOK_MUTATION_KEY', [mr(routes(one({requestMutation: [{key: '', value: 'bar'}]})))], [mr(routes(one({requestMutation: [{key: 'foo', value: 'bar'}]})))]],
  ['WEBHOOK_EXPORTTO_DUPLICATE', [mr({exportTo: ['a', 'a'], ...routes(one())})], [mr({exportTo: ['a', 'b'], ...routes(one())})]],
  ['WEBHOOK_EXPORTTO_INVALID', [mr({exportTo: ['Not_A_Namespace'], ...routes(one())})], [mr({exportTo: ['.'], ...routes(one())})]],
  ['WEBHOOK_LOCAL_RATELIMIT', [mr({localRateLimit: {conditions: [{tokenBucket: {fillInterval: '1s', maxTokens: 1, tokensPerFill: 1}}]}})],
    [mr({localRateLimit: {conditions: [{match: {attributes: {method: {exact: 'a'}}}, tokenBucket: {fillInterval: '1s', maxTokens: 1, tokensPerFill: 1}}]}})]],
  ['PROXY_NACK_REGEX', [mr(routes(onMethod({regex: 'a(?=b)'})))], [mr(routes(onMethod({regex: 'a(b)'})))]],
  ['PROXY_NACK_ATTRIBUTE_NAME', [mr(routes({name: 'x', match: {attributes: {'bad\nname': {exact: 'a'}}}, route: [to('v1')]}))], [mr(routes({name: 'x', match: {attributes: {'good-name': {exact: 'a'}}}, route: [to('v1')]}))]],
  ['PROXY_NACK_MUTATION', [mr(routes(one({requestMutation: [{key: 'foo', value: 'x'.repeat(16385)}]})))], [mr(routes(one({requestMutation: [{key: 'foo', value: 'x'.repeat(16384)}]})))]],
  ['PROXY_ZERO_TOTAL_WEIGHT', [mr(routes({name: 'x', route: [{...to('v1'), weight: 0}, {...to('v2'), weight: 0}]}))], [mr(routes({name: 'x', route: [{...to('v1'), weight: 0}, {...to('v2'), weight: 100}]}))]],
  ['DESTINATION_PORT_NOT_METAPROTOCOL', [mr(routes({name: 'x', route: [{destination: {host: 'plain.meta-thrift.svc.cluster.local', port: {number: 80}}}]}))], [mr(routes({name: 'x', route: [to('v1', {port: {number: 9090}})]}))]],
  ['RATELIMIT_SERVICE_NOT_A_CLUSTER', [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'rate-limit-server', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})],
    [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})]],
  ['RATELIMIT_SERVICE_UNKNOWN', [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||elsewhere.example', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})],
    [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})]],
  ['RATELIMIT_DOMAIN_UNKNOWN', [rateLimitConfig, mr({globalRateLimit: {domain: 'staging', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})],
    [rateLimitConfig, mr({globalRateLimit: {domain: 'production', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})]],
  ['MULTIPLE_DESTINATIONRULES', [{...base[3], metadata: {name: 'dr-2', namespace: 'meta-thrift'}}], [{...base[3], metadata: {name: 'dr', namespace: 'meta-thrift'}}]],
  ['HASH_POLICY_NOT_APPLIED', [hashedDr, mr(routes(one()))], [hashedDr, mr(routes({name: 'x', route: [to()]}))]],
  ['SCHEMA_INVALID', [mr(routes({route: [{...to(), weight: 'lots'}]}))], [mr(routes({route: [{...to(), weight: 100}]}))]],
  ['WEBHOOK_HOSTS', [mr({hosts: [T, 'b.example'], ...routes(one())})], [mr(routes(one()))]],
  ['WEBHOOK_HOST_INVALID', [{...mr(routes(one())), spec: {hosts: ['Bad_Host.example'], ...routes(one())}}], [mr(routes(one()))]],
  ['WEBHOOK_EMPTY', [mr({})], [mr(routes(one()))]],
  ['WEBHOOK_REGEX_INVALID', [mr(routes(onMethod({regex: 'a(?=b)'})))], [mr(routes(onMethod({regex: 'a.*'})))]],
  ['WEBHOOK_WEIGHT_SUM', [mr(routes({route: [{...to('v1'), weight: 30}, {...to('v2'), weight: 60}]}))], [mr(routes({route: [{...to('v1'), weight: 20}, {...to('v2'), weight: 80}]}))]],
  ['WEBHOOK_WEIGHT', [mr(routes({route: [{...to('v1'), weight: 120}]}))], [mr(routes({route: [{...to('v1'), weight: 100}]}))]],
  ['WEBHOOK_MUTATION_VALUE', [mr(routes(one({requestMutation: [{key: 'foo', value: ''}]})))], [mr(routes(one({requestMutation: [{key: 'foo', value: 'bar'}]})))]],
  ['WEBHOOK_MIRROR_PERCENTAGE', [mr(routes(one({mirrorPercentage: {value: 50}})))], [mr(routes(one({mirror: {host: T, subset: 'v2'}, mirrorPercentage: {value: 50}})))]],
  ['WEBHOOK_UNREACHABLE_RULE', [mr(routes(one(), one()))], [mr(routes(onMethod({exact: 'a'}), one()))]],
  ['WEBHOOK_EXPORTTO_WILDCARD', [mr({exportTo: ['*', 'a'], ...routes(one())})], [mr({exportTo: ['*'], ...routes(one())})]],
  ['WEBHOOK_RATELIMIT_BUCKET', [mr({localRateLimit: {tokenBucket: {fillInterval: '60s', maxTokens: 1, tokensPerFill: 0}}})], [mr({localRateLimit: {tokenBucket: {fillInterval: '60s', maxTokens: 1, tokensPerFill: 1}}})]],
  ['WEBHOOK_GLOBAL_RATELIMIT', [mr({globalRateLimit: {rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', match: {attributes: {method: {exact: 'a'}}}, descriptors: [{property: 'method', descriptorKey: 'method'}]}})],
    [mr({globalRateLimit: {domain: 'production', rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', match: {attributes: {method: {exact: 'a'}}}, descriptors: [{property: 'method', descriptorKey: 'method'}]}})]],
  ['PROXY_NACK_EMPTY_PREFIX', [mr(routes(onMethod({prefix: ''})))], [mr(routes(onMethod({prefix: 's'})))]],
  // C++ RE2 ProgramSize() 33,408 and 23,888 against an Istio sidecar's 32,768 (docs/re2.md).
  ['PROXY_NACK_REGEX_PROGRAM_SIZE', [mr(routes(onMethod({regex: '\\pL{28}'})))], [mr(routes(onMethod({regex: '\\pL{20}'})))]],
  ['PROXY_NACK_NO_CLUSTER', [mr(routes({name: 'x', route: []}))], [mr(routes(one()))]],
  ['ROUTE_SHADOWED', [mr(routes(onMethod({prefix: 'say'}), onMethod({exact: 'sayHello'}, 'v2')))], [mr(routes(onMethod({exact: 'sayHello'}, 'v2'), onMethod({prefix: 'say'})))]],
  ['ROUTE_SHADOWED', [mr(routes(onMethod({regex: 'say.*'}), onMethod({exact: 'sayHi'}, 'v2')))], [mr(routes(onMethod({regex: 'hi.*'}), onMethod({exact: 'sayHi'}, 'v2')))]],
  ['ROUTE_SHADOWED', [mr(routes({name: 'all', match: {attributes: {tenant: {}}}, route: [to('v1')]}, onMethod({exact: 'x'}, 'v2')))], [mr(routes({name: 'some', match: {attributes: {tenant: {exact: ''}}}, route: [to('v1')]}, onMethod({exact: 'x'}, 'v2')))]],
  ['ATTRIBUTE_MATCH_EMPTY', [mr(routes({name: 't', match: {attributes: {tenant: {}}}, route: [to('v1')]}))], [mr(routes({name: 't', match: {attributes: {tenant: {exact: ''}}}, route: [to('v1')]}))]],
  ['RESPONSE_MUTATION_NOOP', [mr(routes(one({responseMutation: [{key: 'a', value: 'b'}]})))], [mr(routes(one({requestMutation: [{key: 'a', value: 'b'}]})))]],
  ['REQUEST_MUTATION_IGNORED_BY_CODEC', [mr(routes(one({requestMutation: [{key: 'a', value: 'b'}]})))],
    [{...mr({}), spec: {hosts: [D], routes: [{name: 'x', route: [{destination: {host: D}}], requestMutation: [{key: 'a', value: 'b'}]}]}}]],
  ['GLOBAL_RATELIMIT_WITHOUT_MATCH', [mr({globalRateLimit: {domain: 'p', rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})],
    [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})]],
  ['GLOBAL_RATELIMIT_NO_TIMEOUT', [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', descriptors: [{property: 'method', descriptorKey: 'method'}]}})],
    [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '100ms', descriptors: [{property: 'method', descriptorKey: 'method'}]}})]],
  ['RATELIMIT_SERVICE_MISSING', [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|9999||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})],
    [mr({globalRateLimit: {domain: 'p', match: {attributes: {method: {exact: 'a'}}}, rateLimitService: 'outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local', requestTimeout: '1s', descriptors: [{property: 'method', descriptorKey: 'method'}]}})]],
  ['METAROUTER_HOST_UNKNOWN', [{...mr({}), spec: {hosts: ['nosuch.example'], routes: [one()]}}], [mr(routes(one()))]],
  ['METAROUTER_HOST_UNKNOWN', [{...mr({}), spec: {hosts: ['thrift-sample-server'], routes: [one()]}}], [mr(routes(one()))]],
  ['METAROUTER_HOST_NOT_METAPROTOCOL', [{...mr({}), spec: {hosts: ['plain.meta-thrift.svc.cluster.local'], routes: [one()]}}], [mr(routes(one()))]],
  ['MULTIPLE_METAROUTERS', [mr(routes(one()), 'a'), mr(routes(one()), 'b')], [mr(routes(one()), 'a'), mr(routes(one()), 'a')]],
  ['DUPLICATE_OBJECT', [mr(routes(one()), 'a'), mr(routes(one()), 'a')], [mr(routes(one()), 'a')]],
  ['DESTINATION_HOST_UNKNOWN', [mr(routes({name: 'x', route: [{destination: {host: 'nosuch.example'}}]}))], [mr(routes(one()))]],
  ['DESTINATION_PORT_UNKNOWN', [mr(routes({name: 'x', route: [to('v1', {port: {number: 1234}})]}))], [mr(routes({name: 'x', route: [to('v1', {port: {number: 9090}})]}))]],
  ['SUBSET_NOT_IN_DESTINATIONRULE', [mr(routes({name: 'x', route: [to('v3')]}))], [mr(routes({name: 'x', route: [to('v2')]}))]],
  ['SINGLE_DESTINATION_WEIGHT', [mr(routes({name: 'x', route: [{...to('v1'), weight: 20}]}))], [mr(routes({name: 'x', route: [to('v1')]}))]],
  ['LOCAL_RATELIMIT_FILL_INTERVAL', [mr({localRateLimit: {tokenBucket: {fillInterval: '10ms', maxTokens: 1, tokensPerFill: 1}}})], [mr({localRateLimit: {tokenBucket: {fillInterval: '1s', maxTokens: 1, tokensPerFill: 1}}})]],
  ['PORT_NAME_WITHOUT_PROTOCOL', [{apiVersion: 'v1', kind: 'Service', metadata: {name: 'x', namespace: 'a'}, spec: {ports: [{name: 'tcp-metaprotocol', port: 1}]}}],
    [{apiVersion: 'v1', kind: 'Service', metadata: {name: 'x', namespace: 'a'}, spec: {ports: [{name: 'tcp-metaprotocol-thrift-x', port: 1}]}}]],
  ['APPLICATION_PROTOCOL_UNKNOWN', [{apiVersion: 'v1', kind: 'Service', metadata: {name: 'x', namespace: 'a'}, spec: {ports: [{name: 'tcp-metaprotocol-qza-x', port: 1}]}}],
    [{apiVersion: 'v1', kind: 'Service', metadata: {name: 'x', namespace: 'a'}, spec: {ports: [{name: 'tcp-metaprotocol-qza-x', port: 1}]}}, {apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'ApplicationProtocol', metadata: {name: 'qza'}, spec: {protocol: 'qza', codec: 'aeraki.meta_protocol.codec.qza'}}]],
]

describe('route analyze rules', () => {
  it('the base world itself is clean', () => {
    expect(codes([])).toEqual([])
  })
  for (const [code, triggers, clean] of cases) {
    it(`${code}: triggered, and not by the close variant`, () => {
      expect(codes(triggers)).toContain(code)
      expect(codes(clean)).not.toContain(code)
    })
  }
})
