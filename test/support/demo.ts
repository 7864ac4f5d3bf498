// The Aeraki demo objects the tests apply, from the repository: the workloads of templates/demo (the objects
// `aerakictl install demo` ships) and the demo MetaRouters rendered from the templates/metarouter templates under the
// name Aeraki's demo gives them (test-metaprotocol-thrift-route / test-metaprotocol-dubbo-route, as in
// aeraki-mesh/aeraki demo/metaprotocol-*). They are written once per worker into a temp directory under the file
// names Aeraki's demo folders use, so tests (and kubectl -f) read real files.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as yaml from 'js-yaml'
import {loadTemplate} from '../../src/lib/templates/catalog.js'
import {renderTemplate} from '../../src/lib/templates/render.js'
import {ROOT} from './cli.js'

export const TEMPLATES_DEMO = join(ROOT, 'templates/demo')

type Demo = 'thrift' | 'dubbo'
const NAMESPACE: Record<Demo, string> = {thrift: 'meta-thrift', dubbo: 'meta-dubbo'}
const ROUTER: Record<Demo, string> = {thrift: 'test-metaprotocol-thrift-route', dubbo: 'test-metaprotocol-dubbo-route'}
const WORKLOADS: Record<Demo, Record<string, string>> = {
  thrift: {'thrift-sample.yaml': '10-thrift-sample.yaml', 'destinationrule.yaml': '20-destinationrule.yaml'},
  dubbo: {'dubbo-sample.yaml': '10-dubbo-sample.yaml', 'serviceentry.yaml': '15-serviceentry.yaml', 'destinationrule.yaml': '20-destinationrule.yaml'},
}
// Aeraki's file name -> [template, --set values, template whose routes are added]. Aeraki's local rate limit demo
// limits sayHello to 2 per 30 s (other requests 5 per 60 s) and routes sayHello to v1
// (aeraki-mesh/aeraki demo/metaprotocol-thrift/metarouter-local-ratelimit.yaml).
const ROUTERS: Record<string, [string, Record<string, string>, string?]> = {
  'metarouter-v1.yaml': ['method-route', {subset: 'v1'}],
  'metarouter-v2.yaml': ['method-route', {subset: 'v2'}],
  'traffic-split.yaml': ['traffic-split', {}],
  'metarouter-local-ratelimit.yaml': ['local-ratelimit', {tokens: '2', interval: '30s', defaultTokens: '5'}, 'method-route'],
  'metarouter-global-ratelimit.yaml': ['global-ratelimit', {}],
  'metarouter-header-mutation.yaml': ['header-mutation', {}],
  'traffic-mirroring.yaml': ['traffic-mirroring', {}],
}

const root = mkdtempSync(join(tmpdir(), 'aerakictl-demo-'))
process.on('exit', () => rmSync(root, {recursive: true, force: true}))

async function materialise(demo: Demo): Promise<string> {
  const dir = join(root, `metaprotocol-${demo}`)
  mkdirSync(join(dir, 'rate-limit-server'), {recursive: true})
  for (const [name, file] of Object.entries(WORKLOADS[demo])) writeFileSync(join(dir, name), readFileSync(join(TEMPLATES_DEMO, demo, file)))
  // The rate-limit server: its ConfigMap's config.yaml, and the rest of its objects, as in Aeraki's rate-limit-server/.
  const rls = yaml.loadAll(readFileSync(join(TEMPLATES_DEMO, demo, '30-rate-limit-server.yaml'), 'utf8')) as any[]
  const cm = rls.find(d => d?.kind === 'ConfigMap')
  writeFileSync(join(dir, 'rate-limit-server/config.yaml'), cm.data['config.yaml'])
  writeFileSync(join(dir, 'rate-limit-server/rate-limit-server.yaml'), rls.filter(d => d && d !== cm).map(d => yaml.dump(d)).join('---\n'))
  const render = async (template: string, set: Record<string, string>) =>
    renderTemplate(await loadTemplate(template), {...set, name: ROUTER[demo], namespace: NAMESPACE[demo]}).objects as any[]
  for (const [name, [template, set, withRoutesOf]] of Object.entries(ROUTERS)) {
    const objects = await render(template, set)
    if (withRoutesOf) objects[0].spec.routes = (await render(withRoutesOf, {}))[0].spec.routes
    writeFileSync(join(dir, name), objects.map(o => yaml.dump(o)).join('---\n'))
  }
  return dir
}

/** Directory with Aeraki's demo file names (thrift-sample.yaml, metarouter-v1.yaml, rate-limit-server/…). */
export const THRIFT_DEMO = await materialise('thrift')
export const DUBBO_DEMO = await materialise('dubbo')
