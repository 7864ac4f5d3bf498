// Structural checks with the MetaRouter CRD's own OpenAPI v3 schema (what the API server enforces).
// The validators are compiled from crd-schemas.json at build time (scripts/gen-validators.mjs): no ajv at run time.
import type {ErrorObject} from 'ajv'
import * as validators from './crd-validators.generated.js'
import {FindingSink} from './findings.js'
import type {Finding, Loaded} from '../resources/types.js'
import {admissionFindings, admit, type Schema} from './structural.js'

type Validator = ((data: unknown) => boolean) & {errors?: ErrorObject[] | null}

function validatorFor(kindVersion: string): Validator | undefined {
  return (validators as Record<string, Validator>)[kindVersion.replace(/[^A-Za-z0-9]/g, '_')]
}

/**
 * The API server's checks: prunenulls and unknown fields first (structural.ts; `served` are the schemas a cluster
 * serves, when known), then the CRD's OpenAPI schema on what is left.
 */
export function validateAgainstCrd(original: Loaded, served?: ReadonlyMap<string, Schema>): Finding[] {
  const loaded = admit(original, served)
  const admission = admissionFindings(loaded)
  const version = (loaded.obj.apiVersion ?? '').split('/')[1] ?? ''
  const validate = validatorFor(`${loaded.obj.kind}/${version}`)
  const sink = new FindingSink(loaded)
  if (!validate) {
    sink.add('SCHEMA_UNKNOWN_VERSION', 'error', `${loaded.obj.apiVersion} ${loaded.obj.kind} is not served by the Aeraki CRD (expected metaprotocol.aeraki.io/v1alpha1)`, 'apiVersion')
    return sink.findings
  }
  for (const f of admission) sink.findings.push(f)
  if (validate(loaded.obj)) return sink.findings
  for (const e of collapse(validate.errors ?? [])) sink.add('SCHEMA_INVALID', 'error', describe(e), toPath(e.instancePath))
  return sink.findings
}

/** oneOf failures come with one error per branch; keep the summary and drop the branch noise. */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const oneOfPaths = new Set(errors.filter(e => e.keyword === 'oneOf').map(e => e.instancePath))
  const seen = new Set<string>()
  return errors.filter(e => {
    if (e.keyword !== 'oneOf' && oneOfPaths.has(e.instancePath)) return false
    const key = `${e.instancePath} ${e.keyword} ${e.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function describe(e: ErrorObject): string {
  const where = toPath(e.instancePath) || 'object'
  if (e.keyword === 'oneOf') return `${where}: set at most one of exact, prefix and regex`
  if (e.keyword === 'type') return `${where} must be of type ${(e.params as {type: string}).type}`
  return `${where} ${e.message ?? 'is invalid'}`
}

/** `/spec/routes/1/route/0/weight` -> `spec.routes[1].route[0].weight` */
export function toPath(pointer: string): string {
  if (!pointer) return ''
  let out = ''
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^\d+$/.test(seg)) out += `[${seg}]`
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out ? `.${seg}` : seg
    else out += `[${JSON.stringify(seg)}]`
  }
  return out
}
