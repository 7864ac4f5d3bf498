// kubectl sends typed creates (`kubectl create namespace|configmap|secret|serviceaccount`) as
// application/vnd.kubernetes.protobuf. This decodes that envelope for the few kinds whose schema is small;
// other protobuf bodies get a 415 that tells the user to use `kubectl apply` (which sends JSON).
import {ApiError} from './status.js'

type Field = {n: number; wire: number; value: Buffer | number | bigint}

function varint(buf: Buffer, off: number): [bigint, number] {
  let v = 0n, shift = 0n
  for (;;) {
    const b = buf[off++]
    v |= BigInt(b & 0x7f) << shift
    if (!(b & 0x80)) return [v, off]
    shift += 7n
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = []
  let off = 0
  while (off < buf.length) {
    const [key, o1] = varint(buf, off)
    off = o1
    const n = Number(key >> 3n), wire = Number(key & 7n)
    if (wire === 0) { const [v, o2] = varint(buf, off); out.push({n, wire, value: v}); off = o2 }
    else if (wire === 2) { const [len, o2] = varint(buf, off); out.push({n, wire, value: buf.subarray(o2, o2 + Number(len))}); off = o2 + Number(len) }
    else if (wire === 1) { out.push({n, wire, value: buf.subarray(off, off + 8)}); off += 8 }
    else if (wire === 5) { out.push({n, wire, value: buf.subarray(off, off + 4)}); off += 4 }
    else throw new ApiError(400, 'BadRequest', 'malformed protobuf body')
  }
  return out
}

const str = (f: Field) => (f.value as Buffer).toString('utf8')

function map(fs: Field[], n: number, asBase64 = false): Record<string, string> | undefined {
  const entries = fs.filter((f) => f.n === n)
  if (entries.length === 0) return undefined
  const out: Record<string, string> = {}
  for (const e of entries) {
    const kv = fields(e.value as Buffer)
    const k = kv.find((x) => x.n === 1), v = kv.find((x) => x.n === 2)
    out[k ? str(k) : ''] = v ? (asBase64 ? (v.value as Buffer).toString('base64') : str(v)) : ''
  }
  return out
}

function objectMeta(buf: Buffer): Record<string, unknown> {
  const fs = fields(buf)
  const one = (n: number) => { const f = fs.find((x) => x.n === n); return f ? str(f) : undefined }
  const md: Record<string, unknown> = {}
  if (one(1)) md.name = one(1)
  if (one(2)) md.generateName = one(2)
  if (one(3)) md.namespace = one(3)
  const labels = map(fs, 11), annotations = map(fs, 12)
  if (labels) md.labels = labels
  if (annotations) md.annotations = annotations
  return md
}

const DECODERS: Record<string, (fs: Field[]) => Record<string, unknown>> = {
  Namespace: (fs) => ({spec: {finalizers: fs.filter((f) => f.n === 2).flatMap((s) => fields(s.value as Buffer).filter((x) => x.n === 1).map(str))}}),
  ConfigMap: (fs) => ({...(map(fs, 2) ? {data: map(fs, 2)} : {}), ...(map(fs, 3, true) ? {binaryData: map(fs, 3, true)} : {})}),
  Secret: (fs) => ({...(map(fs, 2, true) ? {data: map(fs, 2, true)} : {}), ...(fs.find((f) => f.n === 3) ? {type: str(fs.find((f) => f.n === 3)!)} : {})}),
  ServiceAccount: () => ({}),
  SelfSubjectAccessReview: (fs) => {
    const spec = fs.find((f) => f.n === 2)
    const sf = spec ? fields(spec.value as Buffer) : []
    const ra = sf.find((f) => f.n === 1)
    if (!ra) return {spec: {}}
    const rf = fields(ra.value as Buffer)
    const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']
    const attrs: Record<string, string> = {}
    names.forEach((k, i) => { const f = rf.find((x) => x.n === i + 1); if (f) attrs[k] = str(f) })
    return {spec: {resourceAttributes: attrs}}
  },
}

export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.subarray(0, 4).toString('latin1') !== 'k8s\u0000') throw new ApiError(400, 'BadRequest', 'protobuf body without the k8s envelope')
  const env = fields(body.subarray(4))
  const tm = env.find((f) => f.n === 1)
  const typeMeta = tm ? fields(tm.value as Buffer) : []
  const apiVersion = typeMeta.find((f) => f.n === 1) ? str(typeMeta.find((f) => f.n === 1)!) : ''
  const kind = typeMeta.find((f) => f.n === 2) ? str(typeMeta.find((f) => f.n === 2)!) : ''
  const raw = env.find((f) => f.n === 2)?.value as Buffer | undefined
  const decode = DECODERS[kind]
  if (!decode || !raw) {
    throw new ApiError(415, 'UnsupportedMediaType', `the playground cannot decode protobuf ${kind || 'objects'}; send JSON instead (e.g. use \`kubectl apply -f\`)`)
  }
  const fs = fields(raw)
  const md = fs.find((f) => f.n === 1)
  return {apiVersion, kind, metadata: md ? objectMeta(md.value as Buffer) : {}, ...decode(fs)}
}
