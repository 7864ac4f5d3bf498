// A loopback HTTPS front for the emulator that answers pods/log with the API server's 403 (RBAC that allows
// pods but not pods/log), and passes everything else through unchanged.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, request as httpsRequest, type Server} from 'node:https'
import type {AddressInfo, Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as yaml from 'js-yaml'
import type {Emulator} from '../../../src/lib/emulator/index.js'
import {generateTlsMaterial} from '../../../src/lib/emulator/x509.js'

export interface ForbidLogsProxy {
  kubeconfig: string
  close(): Promise<void>
}

export async function startForbidLogsProxy(emu: Emulator, namespace: string): Promise<ForbidLogsProxy> {
  const tls = generateTlsMaterial()
  const sockets = new Set<Socket>()
  const server: Server = createServer({cert: tls.server.certPem, key: tls.server.keyPem}, (req, res) => {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log(\?|$)/.exec(req.url ?? '')
    if (m) {
      const body = JSON.stringify({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
        details: {name: m[2], kind: 'pods'},
        message: `pods "${m[2]}" is forbidden: User "log-reader-denied" cannot get resource "pods/log" in API group "" in the namespace "${m[1]}"`})
      res.writeHead(403, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)})
      res.end(body)
      return
    }
    const upstream = httpsRequest({host: '127.0.0.1', port: emu.port, path: req.url, method: req.method, headers: req.headers, ca: emu.caPem}, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('secureConnection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  const name = 'forbid-logs'
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'aerakictl-forbid-')), 'kubeconfig')
  writeFileSync(kubeconfig, yaml.dump({
    apiVersion: 'v1', kind: 'Config', 'current-context': name,
    clusters: [{name, cluster: {server: url, 'certificate-authority-data': Buffer.from(tls.ca.certPem).toString('base64')}}],
    users: [{name, user: {token: emu.token}}],
    contexts: [{name, context: {cluster: name, user: name, namespace}}],
  }))
  return {
    kubeconfig,
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
