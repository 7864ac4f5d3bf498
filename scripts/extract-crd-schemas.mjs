#!/usr/bin/env node
// Regenerates src/lib/validate/crd-schemas.json from Aeraki's CRDs (aeraki-mesh/aeraki k8s/crd.yaml, Apache-2.0),
// keeping only the openAPIV3Schema of the metaprotocol.aeraki.io kinds. Usage:
//   node scripts/extract-crd-schemas.mjs ../shared/upstream/aeraki/k8s/crd.yaml
import {readFileSync, writeFileSync} from 'node:fs'
import {loadAll} from 'js-yaml'

const src = process.argv[2] ?? '../shared/upstream/aeraki/k8s/crd.yaml'
// json: true tolerates the duplicated `gateways` key in the upstream file (the later one wins, as in Kubernetes).
const docs = loadAll(readFileSync(src, 'utf8'), undefined, {json: true})
const out = {source: 'aeraki-mesh/aeraki k8s/crd.yaml @ 56e4de0f28d7bb0feab9d899eec08a28a62ad27a (Apache-2.0)', schemas: {}}
for (const d of docs) {
  if (d?.kind !== 'CustomResourceDefinition' || d.spec?.group !== 'metaprotocol.aeraki.io') continue
  for (const v of d.spec.versions) out.schemas[`${d.spec.names.kind}/${v.name}`] = v.schema.openAPIV3Schema
}
writeFileSync(new URL('../src/lib/validate/crd-schemas.json', import.meta.url), `${JSON.stringify(out, null, 2)}
`)
console.error(`wrote ${Object.keys(out.schemas).join(', ')}`)
