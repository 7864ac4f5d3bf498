// Later objects replace earlier ones with the same kind, namespace and name, as applying them in order would.
import type {Loaded} from './types.js'

export function identityOf(l: Loaded): string {
  const g = (l.obj.apiVersion ?? '').split('/')
  const group = g.length > 1 ? g[0] : ''
  return `${group}/${l.obj.kind}/${l.obj.metadata?.namespace ?? 'default'}/${l.obj.metadata?.name ?? ''}`
}

export function mergeObjects(...lists: Loaded[][]): Loaded[] {
  const byId = new Map<string, Loaded>()
  for (const list of lists) for (const l of list) {
    const id = identityOf(l)
    byId.delete(id) // re-insert so the order reflects the last write
    byId.set(id, l)
  }
  return [...byId.values()]
}
