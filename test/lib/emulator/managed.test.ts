import {describe, expect, it} from 'vitest'
import {serverSideApply} from '@aerakictl/kube-emulator/testing'
import type {KubeObject} from '../../../src/lib/resources/types.js'

const mr = (spec: object): KubeObject => ({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'r', namespace: 'ns'}, spec})
const route = (name: string, subset: string) => ({name, route: [{destination: {host: 'h', subset}}]})

describe('server-side apply field ownership', () => {
  it('drops list items (keyed by name) and whole fields the same manager no longer applies', () => {
    let live = serverSideApply(undefined, mr({hosts: ['h'], routes: [route('a', 'v1'), route('b', 'v2')], localRateLimit: {tokenBucket: {maxTokens: 5}}}), 'me', false, 'metarouters', 'metaprotocol.aeraki.io')
    live = serverSideApply(live, mr({hosts: ['h'], routes: [route('a', 'v1')]}), 'me', false, 'metarouters', 'metaprotocol.aeraki.io')
    expect(live.spec).toEqual({hosts: ['h'], routes: [route('a', 'v1')]})
    live = serverSideApply(live, mr({hosts: ['h']}), 'me', false, 'metarouters', 'metaprotocol.aeraki.io')
    expect(live.spec).toEqual({hosts: ['h']})
  })

  it('replaces a route by another of a different name (metarouter-v1 then traffic-split)', () => {
    const match = {attributes: {method: {exact: 'sayHello'}}}
    let live = serverSideApply(undefined, mr({hosts: ['h'], routes: [{name: 'v1', match, route: [{destination: {host: 'h', subset: 'v1'}}]}]}), 'me', false, 'metarouters', 'metaprotocol.aeraki.io')
    const split = {name: 'traffic-split', match, route: [{destination: {host: 'h', subset: 'v1'}, weight: 20}, {destination: {host: 'h', subset: 'v2'}, weight: 80}]}
    live = serverSideApply(live, mr({hosts: ['h'], routes: [split]}), 'me', false, 'metarouters', 'metaprotocol.aeraki.io')
    expect(live.spec).toEqual({hosts: ['h'], routes: [split]})
  })

  it('keeps fields another manager also owns, and merges keyed list items from two managers', () => {
    let live = serverSideApply(undefined, mr({hosts: ['h'], routes: [route('a', 'v1')]}), 'one', false, 'metarouters', 'metaprotocol.aeraki.io')
    live = serverSideApply(live, mr({hosts: ['h'], routes: [route('b', 'v2')]}), 'two', false, 'metarouters', 'metaprotocol.aeraki.io')
    expect(live.spec.routes.map((r: any) => r.name)).toEqual(['a', 'b'])
    live = serverSideApply(live, mr({}), 'one', false, 'metarouters', 'metaprotocol.aeraki.io')
    expect(live.spec).toEqual({hosts: ['h'], routes: [route('b', 'v2')]})
  })

  it('conflicts name the other manager and the field, and force takes ownership', () => {
    const live = serverSideApply(undefined, mr({hosts: ['h'], routes: [route('a', 'v1')]}), 'one', false, 'metarouters', 'metaprotocol.aeraki.io')
    expect(() => serverSideApply(live, mr({routes: [route('a', 'v2')]}), 'two', false, 'metarouters', 'metaprotocol.aeraki.io'))
      .toThrow('Apply failed with 1 conflict: conflict with "one" using metaprotocol.aeraki.io/v1alpha1: .spec.routes[name="a"].route')
    const forced = serverSideApply(live, mr({routes: [route('a', 'v2')]}), 'two', true, 'metarouters', 'metaprotocol.aeraki.io')
    expect(forced.spec.routes[0].route[0].destination.subset).toBe('v2')
    const owners = (forced.metadata as any).managedFields.map((m: any) => m.manager)
    expect(owners).toEqual(['one', 'two'])
  })
})
