// admitObject: the API server's pruning of a custom resource (prunenulls, then unknown fields), with the path of
// each field pruned as findings print it: dotted names, [index] for arrays, ["…"] for keys that are not identifiers.
import {describe, expect, it} from 'vitest'
import {admit, admitObject} from '../../../src/lib/validate/structural.js'
import {asLoaded} from '../../../src/lib/routing/world.js'

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        routes: {type: 'array', items: {type: 'object', properties: {name: {type: 'string'}, match: {type: 'object', properties: {attributes: {type: 'object', additionalProperties: {type: 'object', properties: {exact: {type: 'string'}}}}}}}}},
        free: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true},
      },
    },
  },
} as any

describe('admitObject', () => {
  it('prunes nulls and unknown fields and names each with its path', () => {
    const obj = {apiVersion: 'x/v1', kind: 'K', metadata: {name: 'n', anything: 1}, spec: {
      routes: [{name: 'a'}, {name: null, extra: 1, match: {attributes: {'x.y': {exact: 'v', bogus: 2}, tenant: null}}}],
      free: {whatever: {deep: null}},
      'not-known': {a: 1},
    }} as any
    const a = admitObject(obj, schema)
    expect(a.unknown).toEqual(['spec.routes[1].extra', 'spec.routes[1].match.attributes["x.y"].bogus', 'spec.not-known'])
    expect(a.nulls).toEqual(['spec.routes[1].name', 'spec.routes[1].match.attributes.tenant'])
    expect(a.obj).toEqual({apiVersion: 'x/v1', kind: 'K', metadata: {name: 'n', anything: 1}, spec: {
      routes: [{name: 'a'}, {match: {attributes: {'x.y': {exact: 'v'}}}}],
      free: {whatever: {deep: null}},
    }})
    // The input is not modified.
    expect(obj.spec.routes[1].extra).toBe(1)
  })

  it('admit walks an object with nothing to prune once, and gives the same object back', () => {
    const l = asLoaded({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'm', namespace: 'n'}, spec: {hosts: ['h'], routes: [{name: 'r', route: [{destination: {host: 'h'}}]}]}})
    expect(admit(l)).toBe(l)
    expect(admit(l)).toBe(l)
    const dirty = asLoaded({apiVersion: 'metaprotocol.aeraki.io/v1alpha1', kind: 'MetaRouter', metadata: {name: 'm', namespace: 'n'}, spec: {hosts: ['h'], bogus: 1}})
    const admitted = admit(dirty)
    expect(admitted).not.toBe(dirty)
    expect(admitted.obj.spec).toEqual({hosts: ['h']})
    expect(admit(admitted)).toBe(admitted)
  })
})
