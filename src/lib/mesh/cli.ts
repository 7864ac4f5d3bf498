// What the mesh commands share: kubectl's connection flags, -o, --show-secrets, and one call that reads an
// admin/debug page of a mesh pod through the sidecar fetch path (port-forward, then the Istio binary's
// `request`, then curl), naming on stderr the pod it used and the way that worked.
import * as Flags from '@oclif/core/flags'
import {kubeFlags} from '../sidecar/cli.js'
import {requestAdmin, type AdminAnswer, type AdminPort} from '../sidecar/fetch.js'
import {redactAdminAnswer} from './redact-text.js'
import {redactionNote} from '../dump/redact.js'

export const meshFlags = {
  namespace: kubeFlags.namespace,
  context: kubeFlags.context,
  kubeconfig: kubeFlags.kubeconfig,
  'request-timeout': kubeFlags['request-timeout'],
  'show-secrets': Flags.boolean({summary: 'Do not redact private keys, passwords and tokens'}),
}

export const outputFlag = Flags.string({char: 'o', summary: 'Output format (default: table on a terminal, json on a pipe)', options: ['table', 'json', 'yaml']})

export interface ConnectionFlags {
  kubeconfig?: string
  context?: string
  'request-timeout': number
}

export interface AdminRead extends AdminAnswer {
  redacted: number
}

/** GET or POST one page of a pod's admin/debug port, redacted unless showSecrets. */
export async function readAdmin(flags: ConnectionFlags, q: {app: string; namespace: string; target: AdminPort; container?: string; path: string; verb?: 'GET' | 'POST'; showSecrets?: boolean; note: (line: string) => void}): Promise<AdminRead> {
  const answer = await requestAdmin({
    kubeconfig: flags.kubeconfig, context: flags.context, namespace: q.namespace || undefined, app: q.app, target: q.target, container: q.container,
    timeoutMs: flags['request-timeout'] * 1000, path: q.path, verb: q.verb, onNote: q.note,
  })
  const r = redactAdminAnswer(answer.text, Boolean(q.showSecrets))
  const note = redactionNote(r.redacted)
  if (note) q.note(note)
  return {...answer, text: r.text, redacted: r.redacted}
}
