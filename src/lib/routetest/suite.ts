// Envoy router_check_tool's model for MetaRouters: a YAML/JSON file of tests, each an input request and the fields
// to validate; failures are printed as expected/actual; coverage counts every weighted arm separately.
import {LineCounter, parseDocument} from 'yaml'
import {yamlErrorMessage} from '../resources/parse.js'
import {InputError} from '../resources/errors.js'

export interface TestCase {
  name: string
  input: {host?: string; port?: number; attributes: Array<[string, string]>; randomValue?: bigint; clientNamespace?: string}
  /** Only the fields present are asserted. `cluster_name: ""` asserts that no route matches. */
  validate: {
    route_name?: string
    cluster_name?: string
    subset?: string
    mirror_cluster?: string
    request_mutation?: Array<{key: string; value: string}>
    error?: string
  }
}

const VALIDATE_FIELDS = ['route_name', 'cluster_name', 'subset', 'mirror_cluster', 'request_mutation', 'error'] as const

export function parseSuite(text: string, file: string): TestCase[] {
  // Integers are read exactly (a random_value of 10000000000000002050 is not rounded to a float): as BigInt, and
  // back to numbers only where that is exact. Error messages name file:line:col and never quote the input.
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {intAsBigInt: true, prettyErrors: false, uniqueKeys: true, lineCounter})
  const err = doc.errors[0]
  if (err) {
    const pos = lineCounter.linePos(err.pos[0])
    throw new InputError(`not valid YAML: ${yamlErrorMessage(err.code, err.message)}`, pos ? `${file}:${pos.line}:${pos.col}` : file)
  }
  let raw: any
  try {
    raw = safeNumbers(doc.toJS({maxAliasCount: 100}))
  } catch {
    throw new InputError('not valid YAML: too many or unresolvable aliases', file)
  }
  const tests = Array.isArray(raw) ? raw : raw?.tests
  if (!Array.isArray(tests) || tests.length === 0) throw new InputError('expected a "tests:" list with at least one test', file)
  return tests.map((t: any, i: number) => parseCase(t, `${file}: tests[${i}]`))
}

function parseCase(t: any, where: string): TestCase {
  if (!t || typeof t !== 'object') throw new InputError('a test must be a mapping with test_name, input and validate', where)
  const name = t.test_name
  if (typeof name !== 'string' || name === '') throw new InputError('test_name is required', where)
  const at = `${where} (${name})`
  const input = t.input ?? {}
  const attributes = parseAttributes(input.attributes, `${at}.input.attributes`)
  let randomValue: bigint | undefined
  if (input.random_value !== undefined) {
    const s = String(input.random_value)
    if (!/^\d+$/.test(s) || BigInt(s) > (1n << 64n) - 1n) throw new InputError(`random_value "${s}" is not an unsigned 64-bit integer`, at)
    randomValue = BigInt(s)
  }
  if (input.port !== undefined && !Number.isInteger(input.port)) throw new InputError('input.port must be a number', at)
  const v = t.validate
  for (const k of Object.keys(v ?? {})) if (!(VALIDATE_FIELDS as readonly string[]).includes(k)) throw new InputError(`unknown validate field "${k}" (known: ${VALIDATE_FIELDS.join(', ')})`, at)
  if (!v || typeof v !== 'object' || !VALIDATE_FIELDS.some(f => f in v)) throw new InputError(`validate needs at least one of ${VALIDATE_FIELDS.join(', ')}`, at)
  const validate: TestCase['validate'] = {}
  for (const f of ['route_name', 'cluster_name', 'subset', 'mirror_cluster', 'error'] as const) if (f in v) validate[f] = v[f] === null ? '' : String(v[f])
  if ('request_mutation' in v) validate.request_mutation = parseAttributes(v.request_mutation, `${at}.validate.request_mutation`).map(([key, value]) => ({key, value}))
  return {
    name,
    input: {
      ...(input.host !== undefined ? {host: String(input.host)} : {}),
      ...(input.port !== undefined ? {port: input.port} : {}),
      attributes,
      ...(randomValue !== undefined ? {randomValue} : {}),
      ...(input.client_namespace !== undefined ? {clientNamespace: String(input.client_namespace)} : {}),
    },
    validate,
  }
}

/** A map, a list of {key, value} or a list of [key, value]. */
function parseAttributes(a: unknown, where: string): Array<[string, string]> {
  if (a === undefined || a === null) return []
  if (Array.isArray(a)) {
    return a.map((x, i) => {
      if (Array.isArray(x) && x.length === 2) return [String(x[0]), String(x[1])] as [string, string]
      if (x && typeof x === 'object' && 'key' in x) return [String((x as any).key), String((x as any).value ?? '')] as [string, string]
      throw new InputError(`item ${i} is neither {key, value} nor [key, value]`, where)
    })
  }
  if (typeof a === 'object') return Object.entries(a as Record<string, unknown>).map(([k, v]) => [k, String(v)] as [string, string])
  throw new InputError('expected a map of attributes or a list of {key, value}', where)
}

/** BigInts within Number's exact range become numbers; others stay BigInt (only random_value may need them). */
function safeNumbers(value: unknown): unknown {
  const fix = (v: unknown) => (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v)
  const root = {v: value}
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const o = stack.pop() as Record<string, unknown>
    for (const k of Object.keys(o)) {
      const v = fix(o[k])
      o[k] = v
      if (v && typeof v === 'object') stack.push(v)
    }
  }
  return root.v
}
