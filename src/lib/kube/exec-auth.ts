// client.authentication.k8s.io exec plugins (as kubectl runs them): spawn the command with its env,
// set KUBERNETES_EXEC_INFO, read an ExecCredential from stdout, cache it until it expires.
import {spawn} from 'node:child_process'
import type {ClusterEntry, ExecConfig} from './kubeconfig.js'
import {KubeError, redact} from './errors.js'

export interface ExecCredential {
  token?: string
  clientCertificateData?: string
  clientKeyData?: string
  expiration?: Date
}

const cache = new Map<string, ExecCredential>()

export function clearExecCredentialCache(): void {
  cache.clear()
}

export async function execCredential(exec: ExecConfig, cluster: ClusterEntry, userName: string): Promise<ExecCredential> {
  const key = JSON.stringify([exec, cluster.server])
  const hit = cache.get(key)
  if (hit && (!hit.expiration || hit.expiration.getTime() - Date.now() > 10_000)) return hit
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1'
  const info = {
    apiVersion, kind: 'ExecCredential',
    spec: {interactive: false, ...(exec.provideClusterInfo ? {cluster: {server: cluster.server, 'certificate-authority-data': cluster['certificate-authority-data'], 'insecure-skip-tls-verify': cluster['insecure-skip-tls-verify']}} : {})},
  }
  const env: NodeJS.ProcessEnv = {...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info)}
  for (const e of exec.env ?? []) env[e.name] = e.value
  const {code, stdout, stderr, spawnError} = await new Promise<{code: number | null; stdout: string; stderr: string; spawnError?: NodeJS.ErrnoException}>((resolve) => {
    const child = spawn(exec.command, exec.args ?? [], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let out = '', err = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (err += c))
    child.on('error', (e) => resolve({code: null, stdout: out, stderr: err, spawnError: e}))
    child.on('close', (c) => resolve({code: c, stdout: out, stderr: err}))
  })
  const who = `the exec credential plugin "${exec.command}" of user "${userName}"`
  if (spawnError) {
    const hint = exec.installHint ? `\n${exec.installHint.trim()}` : ''
    throw new KubeError('auth-plugin', spawnError.code === 'ENOENT' ? `${who} was not found on PATH${hint}` : `${who} could not start: ${spawnError.message}`)
  }
  if (code !== 0) throw new KubeError('auth-plugin', `${who} failed (exit ${code})${stderr.trim() ? `: ${redact(stderr.trim())}` : ''}`)
  let parsed: any
  try { parsed = JSON.parse(stdout) } catch { throw new KubeError('auth-plugin', `${who} printed something that is not an ExecCredential JSON`) }
  const st = parsed?.status ?? {}
  if (!st.token && !(st.clientCertificateData && st.clientKeyData)) throw new KubeError('auth-plugin', `${who} returned an ExecCredential without a token or client certificate`)
  const cred: ExecCredential = {token: st.token, clientCertificateData: st.clientCertificateData, clientKeyData: st.clientKeyData, expiration: st.expirationTimestamp ? new Date(st.expirationTimestamp) : undefined}
  cache.set(key, cred)
  return cred
}
