// The kinds the simulator keeps, by apiVersion group; everything else is skipped with a note.
import type {KubeObject} from './types.js'

export type KeptKind = 'MetaRouter' | 'DestinationRule' | 'Service' | 'ServiceEntry' | 'ApplicationProtocol' | 'ConfigMap' | 'Pod'

const GROUP_OF: Record<KeptKind, string[]> = {
  MetaRouter: ['metaprotocol.aeraki.io'],
  ApplicationProtocol: ['metaprotocol.aeraki.io'],
  DestinationRule: ['networking.istio.io'],
  ServiceEntry: ['networking.istio.io'],
  Service: [''],
  ConfigMap: [''],
  Pod: [''],
}

export function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return ''
  const slash = apiVersion.indexOf('/')
  return slash === -1 ? '' : apiVersion.slice(0, slash)
}

export function keptKind(obj: KubeObject): KeptKind | undefined {
  const kind = obj.kind as KeptKind
  if (!(kind in GROUP_OF)) return undefined
  return GROUP_OF[kind].includes(groupOf(obj.apiVersion)) ? kind : undefined
}

export function resourceName(obj: KubeObject): string {
  const ns = obj.metadata?.namespace
  const name = obj.metadata?.name ?? '<unnamed>'
  return `${obj.kind ?? 'Object'} ${ns ? `${ns}/` : ''}${name}`
}
