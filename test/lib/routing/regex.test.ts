// The regex layer: the proxy's C++ RE2 (figures from the C++ library, see test/lib/re2/differential.test.ts), the
// program-size limit an Istio sidecar runs with, and what Aeraki's webhook (Go 1.20 regexp) rejects.
import {describe, expect, it} from 'vitest'
import {checkRe2, goRegexpError, Re2FullMatchSet, re2FullMatch} from '../../../src/lib/routing/regex.js'
import {ENVOY_REGEX_PROGRAM_LIMIT, ISTIO_REGEX_PROGRAM_LIMIT, programSizeFindings, regexProgramLimitFromBootstrap, regexProgramLimitOfDump} from '../../../src/lib/routing/regex-limit.js'

describe('C++ RE2 (the proxy)', () => {
  it('gives the exact ProgramSize() of C++ RE2, not re2js\'s per-rune count', () => {
    const sizes: Record<string, number> = {
      'a{99}': 103, '.{100}': 804, '(?i)[a-z]{100}': 604, '\\p{Han}{300}': 23104, '\\pL{28}': 33408,
      '[\\p{L}\\p{N}_]{1,25}': 33528, '\\p{Han}{500}': 38504,
      '(?:sayHello|getUser|putUser|listOrders|createOrder|deleteOrder|ping|echo|query|update|login|logout|refresh|search|upload)': 104,
    }
    for (const [p, size] of Object.entries(sizes)) expect(checkRe2(p), p).toEqual({ok: true, programSize: size})
  })

  it('compiles what C++ RE2 compiles and rejects what it rejects, with its message', () => {
    expect(checkRe2('\\C').ok).toBe(true)
    expect(checkRe2('(?P<n>a)(?P<n>b)').ok).toBe(true)
    expect(checkRe2('\\p{Kawi}').ok).toBe(true) // Unicode 15, in RE2 2022-12-01
    expect(checkRe2('\\p{Garay}')).toEqual({ok: false, error: 'invalid character class range: \\p{Garay}'}) // Unicode 16
    expect(checkRe2('(?<n>a)')).toEqual({ok: false, error: 'invalid perl operator: (?<'})
    expect(checkRe2('a{1001}')).toEqual({ok: false, error: 'invalid repetition size: {1001}'})
    expect(checkRe2('\\pL{449}')).toEqual({ok: false, error: 'pattern too large - compile failed'})
  })

  it('full-matches on UTF-8 like RE2 (Unicode tables of the proxy, case folding)', () => {
    expect(re2FullMatch('\\p{Nd}+', '٣९')).toBe(true)
    expect(re2FullMatch('\\pL{2}', '中😀')).toBe(false)
    expect(re2FullMatch('(?i)k', '\u212a')).toBe(true) // Kelvin sign folds to k
    expect(re2FullMatch('.', '😀')).toBe(true)
    expect(re2FullMatch('say', 'sayHello')).toBe(false)
  })

  it('a set of patterns answers like each pattern alone, in route order', () => {
    const patterns = ['say.*', 'sayHello', '[a-z]+', '(?i)SAYHELLO', '\\d+']
    const set = new Re2FullMatchSet(patterns)
    for (const v of ['sayHello', 'sayhello', '123', '', 'x']) {
      const got = set.match(v)
      const hits = patterns.map((_, i) => got[i] === 1)
      expect(hits, v).toEqual(patterns.map(p => re2FullMatch(p, v)))
    }
  })
})

describe('the program-size limit', () => {
  it('Istio\'s 32768 by default, Envoy\'s 100 for a bare proxy', () => {
    expect(ISTIO_REGEX_PROGRAM_LIMIT).toBe(32768)
    expect(ENVOY_REGEX_PROGRAM_LIMIT).toBe(100)
  })

  it('over the limit is a NACK, within 10% below it a warning, further below nothing', () => {
    expect(programSizeFindings('\\pL{28}', 33408, 32768).map(f => [f.code, f.severity])).toEqual([['PROXY_NACK_REGEX_PROGRAM_SIZE', 'error']])
    expect(programSizeFindings('\\pL{28}', 33408, 36000).map(f => f.code)).toEqual(['REGEX_PROGRAM_SIZE_NEAR_LIMIT'])
    expect(programSizeFindings('x', 29492, 32768).map(f => f.code)).toEqual(['REGEX_PROGRAM_SIZE_NEAR_LIMIT'])
    expect(programSizeFindings('x', 29491, 32768)).toEqual([]) // 90% of 32768 is 29491.2
    expect(programSizeFindings('a{99}', 103, 100)[0].message).toContain('103 instructions, over the proxy\'s limit of 100')
  })

  it('reads re2.max_program_size.error_level from a bootstrap\'s layered_runtime static layers', () => {
    const istio = {layered_runtime: {layers: [{name: 'global config', static_layer: {'overload.global_downstream_max_connections': '2147483647', 're2.max_program_size.error_level': '32768'}}, {name: 'admin', admin_layer: {}}]}}
    expect(regexProgramLimitFromBootstrap(istio)).toBe(32768)
    expect(regexProgramLimitFromBootstrap({layered_runtime: {layers: [{static_layer: {re2: {max_program_size: {error_level: 1024}}}}]}})).toBe(1024)
    expect(regexProgramLimitFromBootstrap({layered_runtime: {layers: [{static_layer: {'re2.max_program_size.error_level': 500}}, {static_layer: {'re2.max_program_size.error_level': '2000'}}]}})).toBe(2000)
    expect(regexProgramLimitFromBootstrap({})).toBeUndefined()
    const bootstrapDump = (bootstrap: unknown) => ({configs: [{'@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump', bootstrap}]})
    expect(regexProgramLimitOfDump(bootstrapDump(istio))).toEqual({limit: 32768, from: 'bootstrap'})
    expect(regexProgramLimitOfDump(bootstrapDump({node: {id: 'x'}}))).toEqual({limit: 100, from: 'envoy-default'})
    expect(regexProgramLimitOfDump({configs: []})).toEqual({limit: 32768, from: 'istio-default'})
  })
})

describe('Aeraki\'s webhook: Go 1.20 regexp', () => {
  it('rejects what Go 1.20 rejects, with Go\'s message', () => {
    expect(goRegexpError('(?<n>a)')).toBe('error parsing regexp: invalid or unsupported Perl syntax: `(?<`')
    expect(goRegexpError('\\C')).toBe('error parsing regexp: invalid escape sequence: `\\C`')
    expect(goRegexpError('(?P<n>a)(?P<n>b)')).toBe('error parsing regexp: duplicate capture group name: `n`')
    expect(goRegexpError('\\p{Kawi}')).toBe('error parsing regexp: invalid character class range: `\\p{Kawi}`') // Unicode 15; Go 1.20 is 13
    expect(goRegexpError('[\\p{Vithkuqi}x]')).toBe('error parsing regexp: invalid character class range: `\\p{Vithkuqi}`')
    expect(goRegexpError('\\p{Cn}')).toBe('error parsing regexp: invalid character class range: `\\p{Cn}`')
    expect(goRegexpError('\\p{Emoji}')).toBe('error parsing regexp: invalid character class range: `\\p{Emoji}`')
    expect(goRegexpError('a{1001}')).toBe('error parsing regexp: invalid repeat count: `{1001}`')
  })

  it('accepts what Go 1.20 accepts', () => {
    for (const p of ['(?P<n>a)', '\\p{Greek}+', '\\P{^Han}', '\\pL', '[[:alpha:]]', '\\Q(?<x\\E', '[(?<]', '\\(?<', 'a.b', '(?i)k', '\\p{Yezidi}', '\\p{Any}']) {
      expect(goRegexpError(p), p).toBeUndefined()
    }
  })
})

describe('rate-limit matches (Http::HeaderUtility::buildHeaderDataVector, like routes)', () => {
  it('a regex over the limit rejects the listener with the rate limit filter, not the route table', async () => {
    const {parseManifests} = await import('../../../src/lib/resources/parse.js')
    const {proxyNackFindings} = await import('../../../src/lib/validate/proxy.js')
    const yaml = `apiVersion: metaprotocol.aeraki.io/v1alpha1
kind: MetaRouter
metadata: {name: rl, namespace: meta-thrift}
spec:
  hosts: [thrift-sample-server.meta-thrift.svc.cluster.local]
  localRateLimit:
    tokenBucket: {maxTokens: 10, tokensPerFill: 10, fillInterval: 60s}
    conditions:
    - match: {attributes: {method: {regex: '\\pL{28}'}}}
      tokenBucket: {maxTokens: 2, tokensPerFill: 2, fillInterval: 60s}
  globalRateLimit:
    domain: production
    rateLimitService: outbound|8081||rate-limit-server.meta-thrift.svc.cluster.local
    requestTimeout: 100ms
    match: {attributes: {method: {regex: 'a(?=b)'}}}
    descriptors: [{property: method, descriptorKey: method}]
`
    const [mr] = parseManifests(yaml, 'rl.yaml')
    const found = proxyNackFindings(mr).map(f => [f.code, f.path])
    expect(found).toEqual([
      ['RATELIMIT_NACK_REGEX_PROGRAM_SIZE', 'spec.localRateLimit.conditions[0].match.attributes.method.regex'],
      ['RATELIMIT_NACK_REGEX', 'spec.globalRateLimit.match.attributes.method.regex'],
    ])
    expect(proxyNackFindings(mr, 40000).map(f => f.code)).toEqual(['RATELIMIT_NACK_REGEX'])
  })
})
