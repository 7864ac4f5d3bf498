// Inputs the way kubectl reads them (issue 11 §5) and what the API server does first (§3): folders, -n, duplicates,
// the default request, analyze's scope for -f objects, the served CRD's schema, and apply's strict field validation.
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {dump} from 'js-yaml'
import {afterAll, describe, expect, it} from 'vitest'
import {KubeConfig, KubernetesObjectApi} from '@kubernetes/client-node'
import {analyzeObjects} from '../../../src/lib/analyze/analyze.js'
import {strictFieldValidation} from '../../../src/lib/cluster/apply.js'
import {runDryRun} from '../../../src/lib/dryrun/run.js'
import {predict} from '../../../src/lib/dryrun/predict.js'
import {identityOf} from '../../../src/lib/resources/merge.js'
import {parseManifests} from '../../../src/lib/resources/parse.js'
import {readManifests} from '../../../src/lib/resources/read.js'
import {buildWorld} from '../../../src/lib/routing/world.js'

const dir = mkdtempSync(join(tmpdir(), 'aerakictl-inputs-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const T = 'thrift-sample-server.meta-thrift.svc.cluster.local'
const yaml = (...docs: object[]) => docs.map(d => dump(d)).join('---\n')
const write = (rel: string, text: string) => {
  const full = join(dir, rel)
  mkdirSync(join(full, '..'), {recursive: true})
  writeFileSync(full, text)
  return full
}

// As in Aeraki's demo (aeraki-mesh/aeraki demo/metaprotocol-thrift): the Service has no namespace and is applied with
// `kubectl apply -n meta-thrift`; the MetaRouter names the meta-thrift FQDN.
const service = {apiVersion: 'v1', kind: 'Service', metadata: {name: 'thrift-sample-server'}, spec: {selector: {app: 'thrift-sample-server'}, ports: [{name: 'tcp-metaprotocol-thrift-hello-server', port: 9090}]}}
const dr = (name = 'thrift-sample-server', subsets = [{name: 'v1', labels: {version: 'v1'}}]) => ({apiVersion: 'networking.istio.io/v1alpha3', kind: 'DestinationRule', metadata: {name, namespace: 'meta-thrift'}, spec: {host: T, subsets}})
const metaRouter = (spec: object = {}) => ({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'r', namespace: 'meta-thrift'}, spec: {hosts: [T], routes: [{name: 'v1', match: {attributes: {method: {exact: 'sayHello'}}}, route: [{destination: {host: T, subset: 'v1'}}]}], ...spec}})

describe('folders, like kubectl apply -f DIR', () => {
  const folder = join(dir, 'demo')
  write('demo/a-service.yaml', yaml(service))
  write('demo/config.yaml', 'domain: production\ndescriptors: []\n')
  write('demo/sub/metarouter.yaml', yaml(metaRouter()))
  write('demo/.git/objects.yaml', yaml({...service, metadata: {name: 'from-git'}}))
  mkdirSync(join(folder, 'empty'), {recursive: true})

  it('reads only the folder\'s own files unless -R, and says which files it skipped', async () => {
    const notes: string[] = []
    const flat = await readManifests([folder], undefined, n => notes.push(n))
    expect(flat.map(l => l.obj.kind)).toEqual(['Service'])
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/config\.yaml: not a Kubernetes manifest, skipped/)
  })

  it('with -R walks sub-folders, but not .git or other dot-folders; empty folders are ignored', async () => {
    const all = await readManifests([folder], undefined, () => {}, {recursive: true})
    expect(all.map(l => `${l.obj.kind}/${l.obj.metadata?.name}`)).toEqual(['Service/thrift-sample-server', 'MetaRouter/r'])
  })

  it('a folder with no manifest of its own is an error that mentions -R', async () => {
    await expect(readManifests([join(folder, 'sub', '..', 'empty')])).rejects.toThrow(/no \.yaml, \.yml or \.json files/)
    write('only-sub/x/mr.yaml', yaml(metaRouter()))
    await expect(readManifests([join(dir, 'only-sub')])).rejects.toThrow(/-R/)
  })
})

describe('route dry-run on files', () => {
  const svc = write('dry/svc.yaml', yaml(service, dr()))
  const mr = write('dry/mr.yaml', yaml(metaRouter()))

  it('-n puts namespace-less objects in that namespace, as kubectl apply -n does', async () => {
    const r = await runDryRun({files: [svc, mr], attr: ['method=sayHello'], set: [], namespace: 'meta-thrift'})
    expect(r.prediction.service.host).toBe(T)
    expect(r.prediction.route?.name).toBe('v1')
    expect(r.prediction.selectedCluster).toBe(`outbound|9090|v1|${T}`)
  })

  it('without -n the Service lands in default, and the unused MetaRouter is a finding naming the namespace', async () => {
    const r = await runDryRun({files: [svc, mr], attr: ['method=sayHello'], set: []})
    expect(r.prediction.service.host).toBe('thrift-sample-server.default.svc.cluster.local')
    expect(r.prediction.route?.name).toBe('default')
    const f = r.prediction.findings.find(x => x.code === 'METAROUTER_HOST_UNKNOWN')
    expect(f?.message).toMatch(/namespace default/)
  })

  it('a request on files has no attributes unless --attr gives them; the demo client\'s request is for the embedded world', async () => {
    const files = await runDryRun({files: [svc, mr], attr: [], set: [], namespace: 'meta-thrift'})
    expect(files.request).toEqual({attributes: [], from: 'none'})
    expect(files.prediction.error).toBe('RouteNotFound')
    const embedded = await runDryRun({files: [], attr: [], set: []})
    expect(embedded.request.from).toBe('demo client')
    expect(embedded.request.attributes.length).toBeGreaterThan(0)
    const none = await runDryRun({files: [], attr: [], set: [], noAttrs: true})
    expect(none.request).toEqual({attributes: [], from: 'none'})
    await expect(runDryRun({files: [], attr: ['method=x'], set: [], noAttrs: true})).rejects.toThrow(/--no-attrs/)
  })

  it('DUPLICATE_OBJECT for every kind, naming the copy that wins', async () => {
    const second = write('dry/dr2.yaml', yaml(dr('thrift-sample-server', [{name: 'v2', labels: {version: 'v2'}}])))
    const r = await runDryRun({files: [svc, mr, second], attr: ['method=sayHello'], set: [], namespace: 'meta-thrift'})
    const f = r.prediction.findings.find(x => x.code === 'DUPLICATE_OBJECT')
    expect(f?.resource).toBe('DestinationRule meta-thrift/thrift-sample-server')
    expect(f?.message).toMatch(/keeps the last one, .*dr2\.yaml:1$/)
    // The winner has no v1 subset: the route's cluster does not exist.
    expect(r.prediction.error).toBe('ClusterNotFound')
  })

  it('--server-pods: each pod has its own local bucket, the client sees a range (Aeraki tutorial: 2/min with 2 pods lets 4 through)', async () => {
    const limited = write('dry/limited.yaml', yaml(metaRouter({localRateLimit: {tokenBucket: {fillInterval: '60s', maxTokens: 2, tokensPerFill: 2}}})))
    const r = await runDryRun({files: [svc, limited], attr: ['method=sayHello'], set: [], namespace: 'meta-thrift', sequence: 10, serverPods: 2})
    expect(r.prediction.rateLimit).toMatchObject({allowed: 2, rejected: 8, clientObserved: {serverPods: 2, allowed: [2, 4], rejected: [6, 8]}})
  })

  it('server pods are counted from the Deployments among the inputs', async () => {
    const deployment = (version: string, replicas: number) => ({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: `server-${version}`, namespace: 'meta-thrift'}, spec: {replicas, template: {metadata: {labels: {app: 'thrift-sample-server', version}}}}})
    const limited = write('dry/limited2.yaml', yaml(metaRouter({localRateLimit: {tokenBucket: {fillInterval: '60s', maxTokens: 2, tokensPerFill: 2}}}), deployment('v1', 3), deployment('v2', 5)))
    const r = await runDryRun({files: [svc, limited], attr: ['method=sayHello'], set: [], namespace: 'meta-thrift', sequence: 10})
    // The route goes to subset v1: only its 3 replicas count.
    expect(r.prediction.rateLimit?.clientObserved).toMatchObject({serverPods: 3, allowed: [2, 6], rejected: [4, 8]})
  })
})

describe('route analyze --from-cluster -f', () => {
  it('analyses the -f objects whatever the namespace scope of the cluster objects', () => {
    const bad = parseManifests(yaml({...metaRouter(), spec: {hosts: [T], routes: [{name: 'x', route: [{destination: {host: T, port: {}}}]}]}}), 'bad.yaml')
    const scoped = analyzeObjects(bad, {namespaces: ['default']})
    expect(scoped.findings.map(f => f.code)).not.toContain('WEBHOOK_PORT')
    const always = analyzeObjects(bad, {namespaces: ['default'], always: new Set(bad.map(identityOf))})
    expect(always.findings.map(f => f.code)).toContain('WEBHOOK_PORT')
  })
})

describe('the CRD the cluster serves', () => {
  // Aeraki's Helm chart once shipped a MetaRouter CRD without mirror, exportTo and gateways.
  const staleCrd = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: {name: 'metarouters.metaprotocol.aeraki.io'},
    spec: {group: 'metaprotocol.aeraki.io', names: {kind: 'MetaRouter'}, versions: [{name: 'v1alpha1', served: true, schema: {openAPIV3Schema: {type: 'object', properties: {spec: {type: 'object', properties: {
      hosts: {type: 'array', items: {type: 'string'}},
      routes: {type: 'array', items: {type: 'object', properties: {name: {type: 'string'}, route: {type: 'array', items: {type: 'object', x: 1, properties: {destination: {type: 'object', properties: {host: {type: 'string'}, subset: {type: 'string'}}}, weight: {type: 'integer'}}}}}}},
    }}}}}}]},
  }
  const withMirror = metaRouter({routes: [{name: 'v1', route: [{destination: {host: T, subset: 'v1'}}], mirror: {host: T, subset: 'v2'}}]})
  const objects = (crd: object[]) => parseManifests(yaml({...service, metadata: {name: 'thrift-sample-server', namespace: 'meta-thrift'}}, dr(), ...crd, withMirror), 'in.yaml')

  it('prunes with the served schema: a field it does not know is an unknown-field error and is gone from the prediction', () => {
    const p = predict(buildWorld(objects([staleCrd])), {host: T, attributes: [['method', 'sayHello']]})
    const f = p.findings.find(x => x.code === 'API_UNKNOWN_FIELD')
    expect(f?.path).toBe('spec.routes[0].mirror')
    expect(f?.message).toMatch(/--validate=strict.*refuses.*--validate=warn.*--validate=false/)
    expect(f?.message).toMatch(/the CRD the cluster serves/)
    expect(p.mirror).toBeNull()
  })

  it('with the embedded (current) schema the same MetaRouter keeps its mirror', () => {
    const p = predict(buildWorld(objects([])), {host: T, attributes: [['method', 'sayHello']]})
    expect(p.findings.map(x => x.code)).not.toContain('API_UNKNOWN_FIELD')
    expect(p.mirror?.cluster).toBe(`outbound|9090|v2|${T}`)
  })
})

describe('apply', () => {
  it('server-side apply asks the API server for strict field validation (fieldValidation=Strict)', async () => {
    const seen: string[] = []
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`)
      req.resume()
      req.on('end', () => {
        res.writeHead(200, {'content-type': 'application/json'})
        // client-node looks the kind up in discovery first, then patches.
        if (req.method === 'GET') res.end(JSON.stringify({kind: 'APIResourceList', groupVersion: 'metaprotocol.aeraki.io/v1alpha1', resources: [{name: 'metarouters', namespaced: true, kind: 'MetaRouter', verbs: ['patch']}]}))
        else res.end(JSON.stringify(metaRouter()))
      })
    })
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    try {
      const port = (server.address() as {port: number}).port
      const kc = new KubeConfig()
      kc.loadFromOptions({clusters: [{name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true}], users: [{name: 'u'}], contexts: [{name: 'x', cluster: 'c', user: 'u'}], currentContext: 'x'})
      const objects = KubernetesObjectApi.makeApiClient(kc)
      const {PatchStrategy} = await import('@kubernetes/client-node')
      await objects.patch(metaRouter() as any, undefined, 'All', 'aerakictl', false, PatchStrategy.ServerSideApply, strictFieldValidation(objects))
      const patch = seen.find(s => s.startsWith('PATCH '))
      expect(patch).toMatch(/\/apis\/metaprotocol\.aeraki\.io\/v1alpha1\/namespaces\/meta-thrift\/metarouters\/r\?/)
      expect(new URL(`http://x${patch!.slice(6)}`).searchParams.get('fieldValidation')).toBe('Strict')
    } finally {
      await new Promise(r => server.close(r))
    }
  })
})
