import {describe, expect, it} from 'vitest'
import {ConfigDumpError, parseConfigDump} from '../../../src/lib/dump/index.js'

function errorOf(input: unknown): ConfigDumpError {
  try {
    parseConfigDump(input)
  } catch (error) {
    if (error instanceof ConfigDumpError) return error
    throw error
  }
  throw new Error('parseConfigDump accepted the input')
}

describe('parseConfigDump', () => {
  it('accepts text with pilot-agent trailing newline, a BOM and bytes', () => {
    const text = '\uFEFF{"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.ScopedRoutesConfigDump"}]}\n'
    expect(parseConfigDump(text).configs).toHaveLength(1)
    expect(parseConfigDump(Buffer.from(text)).configs).toHaveLength(1)
    expect(parseConfigDump(new TextEncoder().encode(text)).configs).toHaveLength(1)
  })

  it('accepts an already parsed object and an empty configs list (?resource= with no match)', () => {
    const dump = {configs: []}
    expect(parseConfigDump(dump)).toBe(dump)
  })

  it('reports pilot-agent 404 text printed with success status as not JSON, quoting it', () => {
    const error = errorOf('404 page not found\n')
    expect(error.code).toBe('not-json')
    expect(error.message).toContain('not JSON')
    expect(error.message).toContain('404 page not found')
  })

  it("reports Envoy's FieldMask error body as not JSON", () => {
    const error = errorOf('FieldMask paths: "nope" could not be successfully applied to any configs.')
    expect(error.code).toBe('not-json')
    expect(error.message).toContain('FieldMask')
  })

  it('reports truncated JSON with the parser reason', () => {
    const error = errorOf('{"configs": [ {"@type": "x"')
    expect(error.code).toBe('not-json')
    expect(error.message).toMatch(/not valid JSON \(.+\)/)
  })

  it('reports empty output', () => {
    expect(errorOf('  \n').code).toBe('empty')
  })

  it('reports JSON that is not a config dump, naming what it got', () => {
    const object = errorOf('{"error": "upstream connect error"}')
    expect(object.code).toBe('not-config-dump')
    expect(object.message).toContain('"configs"')
    expect(object.message).toContain('"error"')
    expect(errorOf('[1,2]').message).toContain('an array of 2')
    expect(errorOf({configs: {}}).code).toBe('not-config-dump')
  })

  it('recognises istioctl -o json resource lists and says what to use instead', () => {
    const error = errorOf([{'@type': 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration', name: '9090'}])
    expect(error.message).toContain('list of envoy.config.route.v3.RouteConfiguration resources')
    expect(error.message).toContain('istioctl proxy-config all -o json')
  })

  it('rejects configs entries that are not typed sections', () => {
    expect(errorOf({configs: [42]}).message).toContain('configs[0]')
    expect(errorOf({configs: [{bootstrap: {}}]}).message).toContain('configs[0] has no "@type"')
  })

  it('tolerates unknown @types', () => {
    const dump = parseConfigDump({configs: [{'@type': 'type.googleapis.com/example.Unknown', x: 1}]})
    expect(dump.configs).toHaveLength(1)
  })
})
