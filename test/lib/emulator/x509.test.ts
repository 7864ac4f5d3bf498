import {X509Certificate} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {generateTlsMaterial, issueClientCert} from '@aerakictl/kube-emulator'

describe('x509 builder', () => {
  it('produces certificates Node parses and verifies, every time (random serials and keys)', () => {
    for (let i = 0; i < 150; i++) {
      const {ca, server} = generateTlsMaterial()
      const caCert = new X509Certificate(ca.certPem)
      const srv = new X509Certificate(server.certPem)
      expect(caCert.ca).toBe(true)
      expect(srv.ca).toBe(false)
      expect(srv.verify(caCert.publicKey)).toBe(true)
      expect(srv.checkIP('127.0.0.1')).toBe('127.0.0.1')
      expect(srv.checkHost('localhost')).toBe('localhost')
      const client = new X509Certificate(issueClientCert(ca, 'someone').certPem)
      expect(client.subject).toBe('CN=someone')
      expect(client.verify(caCert.publicKey)).toBe(true)
    }
  })
})
