// The embedded world of `route dry-run` without -f: the Aeraki Thrift and Dubbo demos as shipped in templates/demo.
import {readManifests} from '../resources/read.js'
import type {Loaded} from '../resources/types.js'
import {DEMO_DIR} from '../templates/catalog.js'

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

export async function loadDemoManifests(which: Array<'thrift' | 'dubbo'> = ['thrift', 'dubbo']): Promise<Loaded[]> {
  return readManifests(which.map(w => `${DEMO_DIR}${w}`))
}
