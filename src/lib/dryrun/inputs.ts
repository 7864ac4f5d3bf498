// Assembles what a dry-run predicts from: files (-f), the embedded demo world, and a rendered template.
import {InputError} from '../resources/errors.js'
import {mergeObjects} from '../resources/merge.js'
import type {Finding, Loaded} from '../resources/types.js'
import {duplicateFindings} from '../analyze/analyze.js'
import {demoForHost, loadDemoManifests} from '../demo/world.js'
import {loadTemplate} from '../templates/catalog.js'
import {renderTemplate} from '../templates/render.js'
import {asLoaded, buildWorld, type World} from '../routing/world.js'
import {resolveService} from './resolve.js'

export interface DryRunInputs {
  files: string[]
  host?: string
  port?: number
  attributes: Array<[string, string]>
  template?: string
  set: Record<string, string>
  /** Objects read from a live cluster; -f files are applied on top of them. */
  clusterObjects?: Loaded[]
  /** Namespace for -f objects without one, as `kubectl apply -n` (default: default). */
  namespace?: string
  /** Read sub-folders of -f folders too (kubectl's -R). */
  recursive?: boolean
  /** --max-input-mb. */
  maxInputMb?: number
  /** Send a request without attributes even on the embedded demo world (--no-attrs). */
  noAttrs?: boolean
}

export interface AssembledInputs {
  world: World
  host: string
  port: number
  attributes: Array<[string, string]>
  /** Where the request attributes came from, for the human output. */
  attributesFrom: 'flags' | 'demo client' | 'template' | 'none'
  sources: string[]
  template: {name: string; values: Record<string, string>} | null
  /** About the inputs: files skipped while walking folders, objects defined twice (DUPLICATE_OBJECT). */
  inputFindings: Finding[]
}

export async function assembleInputs(input: DryRunInputs): Promise<AssembledInputs> {
  const embedded = input.files.length === 0 && !input.clusterObjects
  const inputFindings: Finding[] = []
  let fileObjects: Loaded[] = []
  if (input.files.length > 0) {
    const {readManifests, withDefaultNamespace} = await import('../resources/read.js')
    const skipped = (message: string) => inputFindings.push({code: 'INPUT_SKIPPED', severity: 'info', message})
    fileObjects = withDefaultNamespace(await readManifests(input.files, undefined, skipped, {recursive: input.recursive, maxInputMb: input.maxInputMb}), input.namespace ?? 'default')
    inputFindings.push(...duplicateFindings(fileObjects))
  }
  const base: Loaded[] = embedded ? await loadDemoManifests() : mergeObjects(input.clusterObjects ?? [], fileObjects)
  const sources = embedded ? ['embedded Aeraki demos (Thrift in meta-thrift, Dubbo in meta-dubbo)'] : [...(input.clusterObjects ? ['the cluster'] : []), ...input.files.map(f => (f === '-' ? '<stdin>' : f))]
  const host = input.host
  // Resolve the service first: the template is rendered for the service's namespace and host.
  let world = buildWorld(base)
  const resolved = resolveService(world, host, input.port)
  let template: AssembledInputs['template'] = null
  let templateRequest: Array<[string, string]> = []
  if (input.template) {
    const def = await loadTemplate(input.template)
    const set = {...input.set}
    if (!set.host && def.parameters.some(p => p.name === 'host') && !def.profiles[resolved.service.namespace]) set.host = resolved.service.host
    if (!set.service && def.parameters.some(p => p.name === 'service') && !def.profiles[resolved.service.namespace]) set.service = resolved.service.host.split('.')[0]
    const rendered = renderTemplate(def, set, set.namespace ?? resolved.service.namespace)
    // The template's objects replace inputs of the same identity, as applying it would.
    world = buildWorld(mergeObjects(base, rendered.objects.map(o => asLoaded(o, `template ${def.name}`))))
    template = {name: def.name, values: rendered.values}
    templateRequest = rendered.request
    sources.push(`template ${def.name}`)
  } else if (Object.keys(input.set).length > 0) {
    throw new InputError('--set needs --template', '--set')
  }
  let attributes = input.attributes
  let attributesFrom: AssembledInputs['attributesFrom'] = 'flags'
  if (input.noAttrs) attributesFrom = 'none'
  else if (attributes.length === 0) {
    // The demo client's request stands in only where the demo client runs: the embedded demo world, or a live cluster
    // (with or without -f on top). On files alone a request has what --attr says, nothing else.
    const demo = embedded || input.clusterObjects ? demoForHost(resolved.service.host) : undefined
    if (demo) {
      attributes = demo.request
      attributesFrom = 'demo client'
    } else if (templateRequest.length > 0) {
      attributes = templateRequest
      attributesFrom = 'template'
    } else attributesFrom = 'none'
  }
  return {world, host: resolved.service.host, port: resolved.port.number, attributes, attributesFrom, sources, template, inputFindings}
}
