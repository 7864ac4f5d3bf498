// Credentials of a kubeconfig checked before the first request, so a failure names its real cause (issue 12 §6):
// a client key or certificate that does not parse, or a key that does not belong to the certificate, is a
// kubeconfig problem of the user, not "a CA problem" of the TLS handshake; a CA that does not parse names the
// cluster's certificate-authority(-data). And an exec credential plugin that cannot run, fails or prints no
// ExecCredential is named as such, not as "cannot reach the API" (client-node, src/exec_auth.ts, ExecAuth.getCredential).
import {readFileSync} from 'node:fs'
import {createPrivateKey, X509Certificate, type KeyObject} from 'node:crypto'
import {KubeError, redact} from './errors.js'
import type {ResolvedKubeconfig} from './kubeconfig.js'

/** The PEM text of `field` (…-data, base64) or of the file it names, or undefined when neither is set. */
function pemOf(owner: Record<string, unknown>, field: string, where: string): {text: string; field: string} | undefined {
  const data = owner[`${field}-data`]
  if (typeof data === 'string' && data !== '') return {text: Buffer.from(data, 'base64').toString('utf8'), field: `${where}.${field}-data`}
  const file = owner[field]
  if (typeof file === 'string' && file !== '') {
    try {
      return {text: readFileSync(file, 'utf8'), field: `${where}.${field} (${file})`}
    } catch (e) {
      throw new KubeError('config', `cannot read ${where}.${field} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
  }
  return undefined
}

/** OpenSSL's reason without its numeric prefix: "error:1E08010C:DECODER routines::unsupported" → "unsupported". */
function reason(e: unknown): string {
  const m = (e as Error).message ?? String(e)
  return m.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/, '').trim() || m
}

/**
 * Throws a KubeError('config') naming the field when the client certificate, the client key or the CA of the
 * resolved kubeconfig does not parse, or the key is not the certificate's. Never quotes the material.
 */
export function checkCredentials(config: ResolvedKubeconfig): void {
  const user = config.user as unknown as Record<string, unknown>
  const cluster = config.cluster as unknown as Record<string, unknown>
  const ctx = `(user "${config.userName}", context "${config.contextName}")`
  const ca = pemOf(cluster, 'certificate-authority', `clusters[${config.clusterName}].cluster`)
  if (ca) {
    try {
      new X509Certificate(ca.text)
    } catch (e) {
      throw new KubeError('config', `the cluster's CA certificate ${ca.field} of context "${config.contextName}" is not a PEM certificate (${reason(e)}): fix it in your kubeconfig`)
    }
  }
  const certPem = pemOf(user, 'client-certificate', `users[${config.userName}].user`)
  const keyPem = pemOf(user, 'client-key', `users[${config.userName}].user`)
  if (!certPem && !keyPem) return
  if (!certPem || !keyPem) throw new KubeError('config', `${certPem ? certPem.field : keyPem!.field} is set without its ${certPem ? 'client-key' : 'client-certificate'} ${ctx}: a client certificate needs both`)
  let cert: X509Certificate
  try {
    cert = new X509Certificate(certPem.text)
  } catch (e) {
    throw new KubeError('config', `the client certificate ${certPem.field} ${ctx} is not a PEM certificate (${reason(e)}): fix it in your kubeconfig`)
  }
  let key: KeyObject
  try {
    key = createPrivateKey(keyPem.text)
  } catch (e) {
    throw new KubeError('config', `the client key ${keyPem.field} ${ctx} is not a usable PEM private key (${reason(e)}): fix it in your kubeconfig`)
  }
  if (!cert.checkPrivateKey(key)) throw new KubeError('config', `the client key ${keyPem.field} does not belong to the client certificate ${certPem.field} ${ctx}: they must be a pair`)
}

/** An error of an exec credential plugin (or auth provider) turned into one naming the plugin and why it failed. */
export function credentialPluginError(e: unknown, config: ResolvedKubeconfig): KubeError {
  if (e instanceof KubeError) return e
  const exec = config.user.exec as {command?: string} | undefined
  const err = e as NodeJS.ErrnoException & {syscall?: string}
  const who = exec?.command ? `the exec credential plugin "${exec.command}"` : 'the auth provider'
  const of = `of user "${config.userName}" (context "${config.contextName}")`
  let why: string
  if (err.code === 'ENOENT' && err.syscall?.startsWith('spawn')) why = 'was not found on the PATH: install it, or fix users[].user.exec.command in your kubeconfig'
  else if (err.code === 'EACCES' && err.syscall?.startsWith('spawn')) why = 'is not executable (EACCES)'
  else if (e instanceof SyntaxError) why = 'did not print an ExecCredential (its output is not JSON)'
  else {
    const text = redact(String(err.message ?? e)).trim().split('\n')[0]?.slice(0, 200)
    why = `failed${text ? `: ${text}` : ' (exit status not 0, nothing on stderr)'}`
  }
  return new KubeError('auth-plugin', `${who} ${of} ${why}`)
}
