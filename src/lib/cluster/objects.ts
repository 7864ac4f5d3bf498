// Reads what route prediction needs from a live cluster: MetaRouters, DestinationRules, ServiceEntries, Services,
// ApplicationProtocols and the rate limit ConfigMap, as Loaded objects (their source names the cluster object).
import type {KubeClient} from '../kube/client.js'
import {KubeError} from '../kube/errors.js'
import type {KubeObject, Loaded} from '../resources/types.js'

interface Listed {
  apiVersion: string
  kind: string
  resource: string
  /** The plural in the URL (known, so no discovery request is needed). */
  plural: string
  /** Optional: a 404 means the CRD is not installed, which is reported by the caller when it matters. */
  optional: boolean
  fieldSelector?: string
  clusterScoped?: boolean
  /** Read when allowed: a 403 is a note, not a failure. */
  bestEffort?: boolean
}

const LISTS: Listed[] = [
  {apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', resource: 'metarouters.metaprotocol.aeraki.io', plural: 'metarouters', optional: false},
  {apiVersion: 'networking.istio.io/v1alpha3', kind: 'DestinationRule', resource: 'destinationrules.networking.istio.io', plural: 'destinationrules', optional: false},
  {apiVersion: 'networking.istio.io/v1alpha3', kind: 'ServiceEntry', resource: 'serviceentries.networking.istio.io', plural: 'serviceentries', optional: true},
  {apiVersion: 'v1', kind: 'Service', resource: 'services', plural: 'services', optional: false},
  {apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'ApplicationProtocol', resource: 'applicationprotocols.metaprotocol.aeraki.io', plural: 'applicationprotocols', optional: true, clusterScoped: true},
  {apiVersion: 'v1', kind: 'ConfigMap', resource: 'configmaps', plural: 'configmaps', optional: true, fieldSelector: 'metadata.name=rate-limit-config'},
  // The MetaRouter CRD the cluster serves: the API server prunes and validates with its schema, which may be older
  // than the one this build embeds (Aeraki's Helm chart shipped one without mirror, exportTo and gateways).
  {apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions.apiextensions.k8s.io', plural: 'customresourcedefinitions', optional: true, clusterScoped: true, bestEffort: true, fieldSelector: 'metadata.name=metarouters.metaprotocol.aeraki.io'},
]

/** Kinds loadClusterObjects lists completely (the ConfigMap list is filtered by name), so absence means absent. */
export const COMPLETELY_LISTED_KINDS: ReadonlySet<string> = new Set(LISTS.filter(l => !l.fieldSelector).map(l => l.kind))

export interface ClusterObjects {
  objects: Loaded[]
  missingKinds: string[]
  /**
   * Kinds read in one namespace only, because listing them in all namespaces was forbidden (kind → namespace):
   * an object of such a kind elsewhere may exist without being listed.
   */
  namespaceOnly: Map<string, string>
  /** What could not be read at all (forbidden), one line each; the read went on without it. */
  unreadable: string[]
}

const PODS: Listed = {apiVersion: 'v1', kind: 'Pod', resource: 'pods', plural: 'pods', optional: false}

/** Items per list request, as kubectl asks (k8s.io/kubectl/pkg/cmd/get/get.go, --chunk-size default 500). */
export const CHUNK_SIZE = 500

/** The URL path of a list: /api/v1/... for the core group, /apis/GROUP/VERSION/... otherwise. */
export function listPath(apiVersion: string, plural: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${base}/${plural}`
}

/** The URL path of one object: its list's path and its name. */
export function objectPath(apiVersion: string, plural: string, namespace: string | undefined, name: string): string {
  return `${listPath(apiVersion, plural, namespace)}/${encodeURIComponent(name)}`
}

export interface ListPagesOptions {
  fieldSelector?: string
  labelSelector?: string
  /** Items per request (default CHUNK_SIZE). */
  limit?: number
  /**
   * Hears a page's items as it arrives; `restart` is true when the list began again after a 410. `resourceVersion`
   * is the list's (every page of one list carries the same; a watch can start from it).
   */
  onItems: (items: KubeObject[], restart: boolean, resourceVersion: string | undefined) => void
}

/**
 * Reads a list in chunks the way kubectl does (limit + continue; client-go tools/pager): each page goes to
 * onItems and is then dropped. When the continue token has expired (410 Gone: the server compacted the
 * resourceVersion it pinned), the list starts again from the beginning, and onItems is told to forget what it had.
 * The next page is asked for as soon as this page's token is read from the start of its text, so the server builds
 * it while this one is parsed (still one request at a time on the one connection).
 */
export async function listPages(kube: KubeClient, l: {apiVersion: string; plural: string; resource: string}, namespace: string | undefined, o: ListPagesOptions): Promise<void> {
  const target = {verb: 'list', resource: l.resource, ...(namespace ? {namespace} : {})}
  const path = listPath(l.apiVersion, l.plural, namespace)
  const ask = (token: string | undefined) => kube.getText(target, path, {limit: o.limit ?? CHUNK_SIZE, continue: token, fieldSelector: o.fieldSelector, labelSelector: o.labelSelector})
  let token: string | undefined
  let ahead: {token: string; text: Promise<string>} | undefined
  let restart = false
  let restarts = 0
  for (;;) {
    let text: string
    try {
      text = await (ahead && token && ahead.token === token ? ahead.text : ask(token))
    } catch (e) {
      ahead = undefined
      if (token && e instanceof KubeError && e.status === 410 && restarts < 3) {
        token = undefined
        restart = true
        restarts++
        continue
      }
      throw e
    }
    const peeked = peekContinue(text)
    if (peeked) {
      ahead = {token: peeked, text: ask(peeked)}
      ahead.text.catch(() => {}) // awaited in the next round, or dropped when the token was not the page's
    } else ahead = undefined
    const page = kube.parseJson(target, text)
    o.onItems((page?.items ?? []) as KubeObject[], restart, page?.metadata?.resourceVersion || undefined)
    restart = false
    token = page?.metadata?.continue || undefined
    if (!token) return
  }
}

/**
 * metadata.continue of a list, read from the first few KiB of its JSON text: API servers write the list's kind,
 * apiVersion and metadata before its items (Go's encoding/json keeps the struct's field order, metav1.List). Only
 * a hint: listPages uses it when it equals the token of the parsed page.
 */
export function peekContinue(text: string): string | undefined {
  const head = text.slice(0, 4096)
  const m = /"metadata"\s*:\s*(\{[^{}]*\})/.exec(head)
  const items = head.indexOf('"items"')
  if (!m || (items >= 0 && items < m.index)) return undefined
  try {
    const c = JSON.parse(m[1]).continue
    return typeof c === 'string' && c !== '' ? c : undefined
  } catch {
    return undefined
  }
}

/** What analysis and the tally read from a pod; its spec and managedFields are most of its size. */
function slimPod(p: KubeObject): KubeObject {
  const {managedFields: _m, ...metadata} = (p.metadata ?? {}) as Record<string, unknown>
  const st = (p.status ?? {}) as Record<string, unknown>
  return {apiVersion: p.apiVersion, kind: p.kind, metadata, status: {phase: st.phase, conditions: st.conditions, podIP: st.podIP}} as KubeObject
}

export interface LoadOptions {
  /** Also list Pods (for checks on what subsets select). */
  pods?: boolean
  /** Only these kinds (default: all of the routing kinds and the rate limit ConfigMap). */
  kinds?: string[]
  /**
   * When a cluster-wide list of a namespaced kind is forbidden, list this namespace instead and say so (default:
   * the -n or context namespace of the client: namespace-scoped users are the common case in real clusters).
   */
  fallbackNamespace?: string
  /** Where kinds the cluster does not serve and namespace fallbacks are reported. */
  onNote?: (line: string) => void
  /** Where a progress line goes while a read takes over a second (default: stderr when it is a terminal). */
  progress?: NodeJS.WriteStream | {isTTY?: boolean; write(s: string): unknown}
}

/**
 * Lists across all namespaces (MetaRouters in any namespace can name a host), or one namespace when given.
 * A kind the cluster does not serve (CRD not installed) counts as empty; required ones are named in missingKinds.
 */
export async function loadClusterObjects(kube: KubeClient, namespace?: string, options: LoadOptions = {}): Promise<ClusterObjects> {
  const note = options.onNote ?? (() => {})
  const fallbackNamespace = options.fallbackNamespace ?? kube.namespace
  const objects: Loaded[] = []
  const missingKinds: string[] = []
  const namespaceOnly = new Map<string, string>()
  const unreadable: string[] = []
  const wanted = [...LISTS, ...(options.pods ? [PODS] : [])].filter(l => !options.kinds || options.kinds.includes(l.kind))
  const progress = startProgress(options.progress ?? process.stderr)
  // One list at a time: they share one connection (KubeClient), and pages are turned into Loaded as they come.
  const perKind = new Map<Listed, Loaded[]>()
  const list = async (l: Listed, ns: string | undefined): Promise<void> => {
    const into: Loaded[] = []
    perKind.set(l, into)
    await listPages(kube, l, l.clusterScoped ? undefined : ns, {
      fieldSelector: l.fieldSelector,
      onItems: (items, restart) => {
        if (restart) { progress.add(l.plural, -into.length); into.length = 0 }
        for (const obj of items) {
          const item = {...(l.kind === 'Pod' ? slimPod(obj) : obj), apiVersion: obj.apiVersion ?? l.apiVersion, kind: obj.kind ?? l.kind}
          const itemNs = item.metadata?.namespace
          into.push({obj: item, source: {file: `cluster:${l.kind}/${itemNs ? `${itemNs}/` : ''}${item.metadata?.name}`, doc: 0, line: 1, column: 1}})
        }
        progress.add(l.plural, items.length)
      },
    })
  }
  try {
    for (const l of wanted) {
      try {
        await list(l, namespace)
      } catch (e) {
        if (e instanceof KubeError && e.kind === 'not-found') {
          note(`${l.resource} are not served by this cluster (CRD not installed); treated as none.`)
          if (!l.optional) missingKinds.push(`${l.kind} (${l.resource})`)
          perKind.set(l, [])
          continue
        }
        if (e instanceof KubeError && e.kind === 'forbidden' && l.bestEffort) {
          note(`cannot read ${l.resource} (${l.fieldSelector}); the MetaRouter schema this build embeds is used instead.`)
          unreadable.push(`${l.resource} (${l.fieldSelector})`)
          perKind.set(l, [])
          continue
        }
        // Cluster-scoped kinds (ApplicationProtocols) have no namespace to fall back to: optional ones count as none.
        if (e instanceof KubeError && e.kind === 'forbidden' && l.clusterScoped && l.optional) {
          note(`cannot list ${l.resource} (cluster-scoped; forbidden for this user); treated as none.`)
          unreadable.push(l.resource)
          perKind.set(l, [])
          continue
        }
        if (!(e instanceof KubeError && e.kind === 'forbidden' && fallbackNamespace && !namespace && !l.clusterScoped)) throw e
        note(`cannot list ${l.resource} in all namespaces; using those in ${fallbackNamespace} only.`)
        namespaceOnly.set(l.kind, fallbackNamespace)
        await list(l, fallbackNamespace)
      }
    }
  } finally {
    progress.done()
  }
  for (const l of wanted) for (const o of perKind.get(l) ?? []) objects.push(o)
  return {objects, missingKinds, namespaceOnly, unreadable}
}

/** After a second of reading, one line on a terminal that says how far the read got; erased when it ends. */
function startProgress(out: {isTTY?: boolean; write(s: string): unknown}) {
  const counts = new Map<string, number>()
  let shown = false
  const render = () => {
    const parts = [...counts].map(([k, n]) => `${n.toLocaleString('en')} ${k}`)
    out.write(`\r\x1b[2Kreading the cluster: ${parts.join(', ')}…`)
    shown = true
  }
  const timer = out.isTTY ? setTimeout(render, 1000) : undefined
  timer?.unref()
  return {
    add(kind: string, n: number) {
      counts.set(kind, (counts.get(kind) ?? 0) + n)
      if (shown) render()
    },
    done() {
      clearTimeout(timer)
      if (shown) out.write('\r\x1b[2K')
    },
  }
}

/**
 * Connects, lists, and disconnects: what a command needs when it only reads the routing objects once. Listing in
 * all namespaces falls back to the -n (or context) namespace when that is all the user may read.
 */
export async function readLiveObjects(flags: {kubeconfig?: string; context?: string; namespace?: string; timeoutMs?: number}, options: LoadOptions = {}): Promise<ClusterObjects & {namespace: string}> {
  const {KubeClient} = await import('../kube/client.js')
  const kube = KubeClient.create(flags)
  try {
    // What could not be read goes to stderr unless the caller hears it: the read goes on without it.
    const onNote = options.onNote ?? ((line: string) => { process.stderr.write(`${line}\n`) })
    return {...(await loadClusterObjects(kube, undefined, {...options, onNote})), namespace: kube.namespace}
  } finally {
    kube.close()
  }
}
