// The embedded world of `route dry-run` without -f: the Aeraki Thrift and Dubbo demos as shipped in templates/demo.
import {readFile} from 'node:fs/promises'
import type {Loaded} from '../resources/types.js'
import {join} from 'node:path'
import {rememberParsedYaml} from '../routing/world.js'
import {DEMO_DIR, PACKAGE_ROOT} from '../templates/paths.js'

export interface DemoInfo {
  name: 'thrift' | 'dubbo'
  namespace: string
  host: string
  port: number
  /** The attributes of the demo client's request, as the codec extracts them. */
  request: Array<[string, string]>
  /** Pod-name fragments of the client and the servers, as aerakictl.sh finds them. */
  client: string
  server: string
}

export const DEMOS: Record<'thrift' | 'dubbo', DemoInfo> = {
  thrift: {
    name: 'thrift',
    namespace: 'meta-thrift',
    host: 'thrift-sample-server.meta-thrift.svc.cluster.local',
    port: 9090,
    request: [['method', 'sayHello']],
    client: 'thrift-sample-client',
    server: 'thrift-sample-server',
  },
  dubbo: {
    name: 'dubbo',
    namespace: 'meta-dubbo',
    host: 'org.apache.dubbo.samples.basic.api.demoservice',
    port: 20880,
    request: [
      ['interface', 'org.apache.dubbo.samples.basic.api.DemoService'],
      ['method', 'sayHello'],
      ['foo', 'bar'],
    ],
    client: 'dubbo-sample-consumer',
    server: 'dubbo-sample-provider',
  },
}

export function demoForHost(host: string): DemoInfo | undefined {
  return Object.values(DEMOS).find(d => d.host === host)
}

const PROTOCOL_DIRS = ['thrift', 'dubbo'] as const

/** Parses templates/demo (YAML, with positions). The build stores the result as embedded.json. */
export async function parseDemoManifests(): Promise<Loaded[]> {
  const {readManifests} = await import('../resources/read.js')
  return readManifests(PROTOCOL_DIRS.map(w => `${DEMO_DIR}${w}`))
}

/** The demo objects: from the build's embedded.json when present (fast), else parsed from the YAML. */
export async function loadDemoManifests(): Promise<Loaded[]> {
  let text: string
  try {
    text = await readFile(new URL('./embedded.json', import.meta.url), 'utf8')
  } catch {
    return parseDemoManifests()
  }
  const {objects, parsedYaml} = JSON.parse(text) as {objects: Loaded[]; parsedYaml: Array<[string, unknown]>}
  rememberParsedYaml(parsedYaml)
  // Paths are stored relative to the package root.
  for (const l of objects) l.source.file = join(PACKAGE_ROOT, l.source.file)
  return objects
}
