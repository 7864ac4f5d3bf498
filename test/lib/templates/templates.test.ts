// Every template renders for both demo namespaces, passes analyze against the demo, and predicts what it says.
import {describe, expect, it} from 'vitest'
import {analyzeObjects} from '../../../src/lib/analyze/analyze.js'
import {parseDemoManifests} from '../../../src/lib/demo/world.js'
import {predict} from '../../../src/lib/dryrun/predict.js'
import {mergeObjects} from '../../../src/lib/resources/merge.js'
import {listTemplates, loadTemplate} from '../../../src/lib/templates/catalog.js'
import {parseWeights, renderTemplate} from '../../../src/lib/templates/render.js'
import {asLoaded, buildWorld} from '../../../src/lib/routing/world.js'
import {DEMOS} from '../../../src/lib/demo/world.js'

async function worldWith(name: string, namespace: string, set: Record<string, string> = {}) {
  const demo = await parseDemoManifests()
  const r = renderTemplate(await loadTemplate(name), {...set, namespace})
  const objects = mergeObjects(demo, r.objects.map(o => asLoaded(o, name)))
  return {world: buildWorld(objects), objects, rendered: r}
}

// Warnings a template is expected to carry, per namespace (Thrift does not write request mutations on the wire).
const EXPECTED_WARNINGS: Record<string, string[]> = {'header-mutation/meta-thrift': ['REQUEST_MUTATION_IGNORED_BY_CODEC']}

describe('templates', async () => {
  const all = await listTemplates()

  it('ships the seven templates of the issue', () => {
    expect(all.map(t => t.name).sort()).toEqual(['consistent-hash', 'global-ratelimit', 'header-mutation', 'local-ratelimit', 'method-route', 'traffic-mirroring', 'traffic-split'])
  })

  for (const t of all) {
    for (const ns of ['meta-thrift', 'meta-dubbo']) {
      it(`${t.name} in ${ns}: renders and passes analyze against the demo`, async () => {
        const {objects, rendered} = await worldWith(t.name, ns)
        expect(rendered.objects.length).toBeGreaterThan(0)
        for (const o of rendered.objects) expect(o.metadata?.namespace).toBe(ns)
        const findings = analyzeObjects(objects).findings.filter(f => f.severity !== 'info')
        expect(findings.map(f => f.code)).toEqual(EXPECTED_WARNINGS[`${t.name}/${ns}`] ?? [])
      })
    }
  }

  const predictFor = async (name: string, ns: 'meta-thrift' | 'meta-dubbo', extra: Partial<Parameters<typeof predict>[1]> = {}, set: Record<string, string> = {}) => {
    const {world, rendered} = await worldWith(name, ns, set)
    const demo = ns === 'meta-thrift' ? DEMOS.thrift : DEMOS.dubbo
    return {p: predict(world, {host: demo.host, attributes: demo.request, ...extra}), rendered}
  }
  const sub = (c: string | null) => c?.split('|')[2]

  it('method-route sends sayHello to v1, other methods nowhere', async () => {
    expect(sub((await predictFor('method-route', 'meta-thrift')).p.selectedCluster)).toBe('v1')
    expect((await predictFor('method-route', 'meta-thrift', {attributes: [['method', 'other']]})).p.error).toBe('RouteNotFound')
  })

  it('traffic-split is 20/80 by default and follows --set weights', async () => {
    expect((await predictFor('traffic-split', 'meta-dubbo')).p.clusters.map(c => [sub(c.name), c.share])).toEqual([['v1', 0.2], ['v2', 0.8]])
    const {p} = await predictFor('traffic-split', 'meta-thrift', {}, {weights: 'v1:50,v2:50'})
    expect(p.clusters.map(c => c.share)).toEqual([0.5, 0.5])
  })

  it('header-mutation sets foo=bar (on the wire for Dubbo only)', async () => {
    const d = (await predictFor('header-mutation', 'meta-dubbo')).p
    expect(d.requestMutation).toEqual([{key: 'foo', value: 'bar'}])
    expect(d.requestMutationOnWire).toBe(true)
    expect((await predictFor('header-mutation', 'meta-thrift')).p.requestMutationOnWire).toBe(false)
  })

  it('local-ratelimit lets 2 sayHello through per 10 s window', async () => {
    expect((await predictFor('local-ratelimit', 'meta-thrift', {sequence: 10})).p.rateLimit).toMatchObject({allowed: 2, rejected: 8})
  })

  it('global-ratelimit follows the demo rate limit service: 10 per minute', async () => {
    const {p} = await predictFor('global-ratelimit', 'meta-dubbo', {sequence: 12})
    expect(p.rateLimit).toMatchObject({allowed: 10, rejected: 2, global: {decision: 'limited-by-service', descriptor: [{key: 'method', value: 'sayHello'}]}})
  })

  it('traffic-mirroring routes to v1 and mirrors every request to v2', async () => {
    const {p} = await predictFor('traffic-mirroring', 'meta-thrift', {}, {percentage: '100'})
    expect(sub(p.selectedCluster)).toBe('v1')
    expect(p.mirror).toMatchObject({cluster: `outbound|9090|v2|${DEMOS.thrift.host}`, probability: 1})
  })

  it('consistent-hash makes the default route hash on method', async () => {
    expect((await predictFor('consistent-hash', 'meta-thrift')).p.hashPolicy).toEqual(['method'])
  })

  it('rejects bad parameters', async () => {
    const t = await loadTemplate('traffic-split')
    expect(() => renderTemplate(t, {nope: 'x'})).toThrow(/has no parameter "nope"/)
    expect(() => parseWeights('v1:20,V2:80')).toThrow(/"V2:80" is not subset:weight/)
    const rl = await loadTemplate('local-ratelimit')
    expect(() => renderTemplate(rl, {tokens: 'two'})).toThrow(/tokens must be a whole number/)
    expect(() => renderTemplate(t, {namespace: 'elsewhere'})).toThrow(/needs --set host=/)
  })
})
