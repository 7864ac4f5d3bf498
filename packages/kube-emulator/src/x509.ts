// A minimal X.509 builder on node:crypto: a fresh ECDSA P-256 CA and a loopback server certificate
// signed by it. Enough for Go (kubectl) and Node TLS clients; avoids a dependency for ~100 lines of DER.
import {createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject} from 'node:crypto'

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  while (n > 0) { bytes.unshift(n & 0xff); n >>= 8 }
  return Buffer.from([0x80 | bytes.length, ...bytes])
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body])
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items))
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items))
/** DER INTEGER: minimal two's complement (no redundant leading zero, a zero byte before a set high bit). */
function int(b: Buffer): Buffer {
  let i = 0
  while (i < b.length - 1 && b[i] === 0 && b[i + 1] < 0x80) i++
  const body = b.subarray(i)
  return tlv(0x02, body[0] & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body)
}
const octets = (b: Buffer) => tlv(0x04, b)
const bitString = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]))
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'))
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]))
const explicit = (n: number, b: Buffer) => tlv(0xa0 | n, b)

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const out = [40 * parts[0] + parts[1]]
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f]
    let v = Math.floor(p / 128)
    while (v > 0) { chunk.unshift((v & 0x7f) | 0x80); v = Math.floor(v / 128) }
    out.push(...chunk)
  }
  return tlv(0x06, Buffer.from(out))
}

function time(d: Date): Buffer {
  // UTCTime is valid until 2049; GeneralizedTime after that (RFC 5280 §4.1.2.5).
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso))
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))))
const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'))
const ext = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value))

export interface CertAndKey {
  certPem: string
  keyPem: string
  key: KeyObject
}

function build(opts: {subject: string; issuer: string; publicKeyDer: Buffer; signer: KeyObject; ca: boolean; sans?: {dns: string[]; ips: string[]}; client?: boolean}): string {
  const now = Date.now()
  const extensions: Buffer[] = [
    ext('2.5.29.19', true, seq(...(opts.ca ? [bool(true)] : []))),
    // keyUsage: CA → keyCertSign|cRLSign; leaf → digitalSignature|keyEncipherment
    ext('2.5.29.15', true, opts.ca ? Buffer.from([0x03, 0x02, 0x01, 0x06]) : Buffer.from([0x03, 0x02, 0x05, 0xa0])),
  ]
  // extendedKeyUsage: serverAuth, or clientAuth for client certificates
  if (!opts.ca) extensions.push(ext('2.5.29.37', false, seq(oid(opts.client ? '1.3.6.1.5.5.7.3.2' : '1.3.6.1.5.5.7.3.1'))))
  if (opts.sans) {
    const names = [
      ...opts.sans.dns.map((d) => tlv(0x82, Buffer.from(d))),
      ...opts.sans.ips.map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
    ]
    extensions.push(ext('2.5.29.17', false, seq(...names)))
  }
  const serial = randomBytes(16)
  serial[0] = (serial[0] & 0x3f) | 0x40 // positive, 16 bytes, no leading zero
  const tbs = seq(
    explicit(0, int(Buffer.from([2]))),
    int(serial),
    ecdsaWithSha256,
    name(opts.issuer),
    seq(time(new Date(now - 60_000)), time(new Date(now + 365 * 24 * 3600_000))),
    name(opts.subject),
    opts.publicKeyDer,
    explicit(3, seq(...extensions)),
  )
  const signature = sign('sha256', tbs, opts.signer)
  const der = seq(tbs, ecdsaWithSha256, bitString(signature))
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`
}

function keyPair() {
  const {publicKey, privateKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'})
  return {publicKeyDer: publicKey.export({type: 'spki', format: 'der'}) as Buffer, privateKey}
}

/** A fresh CA plus a server certificate for localhost/127.0.0.1 signed by it. */
/** A client certificate for user `commonName` signed by the CA (as kubeadm issues kubeconfig users). */
export function issueClientCert(ca: CertAndKey, commonName: string): {certPem: string; keyPem: string} {
  const keys = keyPair()
  const certPem = build({subject: commonName, issuer: 'aerakictl-playground-ca', publicKeyDer: keys.publicKeyDer, signer: ca.key, ca: false, client: true})
  return {certPem, keyPem: keys.privateKey.export({type: 'pkcs8', format: 'pem'}) as string}
}

export function generateTlsMaterial(): {ca: CertAndKey; server: CertAndKey} {
  const caKeys = keyPair()
  const caPem = build({subject: 'aerakictl-playground-ca', issuer: 'aerakictl-playground-ca', publicKeyDer: caKeys.publicKeyDer, signer: caKeys.privateKey, ca: true})
  const srvKeys = keyPair()
  const srvPem = build({
    subject: 'aerakictl-playground', issuer: 'aerakictl-playground-ca', publicKeyDer: srvKeys.publicKeyDer,
    signer: caKeys.privateKey, ca: false, sans: {dns: ['localhost'], ips: ['127.0.0.1']},
  })
  const pem = (k: KeyObject) => k.export({type: 'pkcs8', format: 'pem'}) as string
  return {
    ca: {certPem: caPem, keyPem: pem(caKeys.privateKey), key: caKeys.privateKey},
    server: {certPem: srvPem, keyPem: pem(srvKeys.privateKey), key: createPrivateKey(pem(srvKeys.privateKey))},
  }
}
