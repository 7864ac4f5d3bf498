// What the `istiod …` commands share: the flags (kubectl's, -o, --app of istiod's pods) and reading one debug
// endpoint of the first running istiod through the shared admin fetch path (port-forward to 15014, then exec
// `pilot-discovery request GET`, then exec curl).
import * as Flags from '@oclif/core/flags'
import {meshFlags, outputFlag, readAdmin, type ConnectionFlags} from './cli.js'
import {debugPath, parseJsonAnswer} from './istiod.js'
import {ISTIOD} from './targets.js'

export const istiodFlags = {
  ...meshFlags,
  app: Flags.string({summary: "Pod-name match of istiod's pods", default: ISTIOD.app}),
  output: outputFlag,
}

export interface IstiodFlagValues extends ConnectionFlags {
  namespace?: string
  app: string
  'show-secrets': boolean
}

export async function readIstiodText(flags: IstiodFlagValues, endpoint: string, note: (l: string) => void): Promise<{text: string; pod: string}> {
  const r = await readAdmin(flags, {app: flags.app, namespace: flags.namespace ?? ISTIOD.namespace, target: ISTIOD.admin!, path: debugPath(endpoint), showSecrets: flags['show-secrets'], note})
  return {text: r.text, pod: r.pod}
}

export async function readIstiodJson(flags: IstiodFlagValues, endpoint: string, note: (l: string) => void): Promise<unknown> {
  const {text} = await readIstiodText(flags, endpoint, note)
  return parseJsonAnswer(text, `/debug/${endpoint}`)
}
