import {BaseCommand} from '../lib/cli/base-command.js'
import {completeWords} from '../lib/cli/completion.js'

/** Called by the completion scripts with the words typed so far; prints one candidate per line. */
export default class Complete extends BaseCommand {
  static hidden = true
  static strict = false
  static summary = 'Completion candidates for the words typed so far (used by the completion scripts)'
  static enableJsonFlag = false

  async run(): Promise<string[]> {
    const words = this.argv
    const candidates = await completeWords(this.config, words.length ? words : [''], {
      templates: async () => (await (await import('../lib/templates/catalog.js')).listTemplates()).map(t => t.name),
      namespaces: async (flags) => this.fromCluster(flags, async (c) => {
        const k8s = await import('@kubernetes/client-node')
        const list = await c.kube.run({verb: 'list', resource: 'namespaces'}, kc => kc.makeApiClient(k8s.CoreV1Api).listNamespace())
        return list.items.map(n => n.metadata?.name ?? '').filter(Boolean)
      }),
      apps: async (flags, namespace) => this.fromCluster(flags, async (c) => {
        const k8s = await import('@kubernetes/client-node')
        const ns = namespace ?? c.namespace
        const list = await c.kube.run({verb: 'list', resource: 'pods', namespace: ns}, kc => kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({namespace: ns}))
        return list.items.flatMap(p => [p.metadata?.labels?.app, p.metadata?.name]).filter((x): x is string => Boolean(x))
      }),
    })
    this.out(candidates.map(c => `${c}\n`).join(''))
    return candidates
  }

  /** Cluster lists are best effort: nothing when no cluster answers within two seconds. */
  private async fromCluster(flags: Record<string, string>, fn: (c: Awaited<ReturnType<typeof import('../lib/cluster/connect.js')['connect']>>) => Promise<string[]>): Promise<string[]> {
    let conn: Awaited<ReturnType<typeof import('../lib/cluster/connect.js')['connect']>> | undefined
    try {
      conn = await (await import('../lib/cluster/connect.js')).connect({kubeconfig: flags.kubeconfig, context: flags.context})
      const c = conn
      return await Promise.race([fn(c), new Promise<string[]>((resolve) => setTimeout(() => resolve([]), 2000).unref())])
    } catch {
      return []
    } finally {
      conn?.close()
    }
  }
}
