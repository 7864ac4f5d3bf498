import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import * as yaml from 'js-yaml'
import {afterAll, describe, expect, it} from 'vitest'
import {resolveKubeconfig} from '../../../src/lib/kube/kubeconfig.js'

const dir = mkdtempSync(join(tmpdir(), 'aerakictl-kc-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function file(name: string, doc: object): string {
  const p = join(dir, name)
  writeFileSync(p, yaml.dump(doc))
  return p
}

const a = file('a.yaml', {
  apiVersion: 'v1', kind: 'Config', 'current-context': 'ctx-a',
  clusters: [{name: 'in-both', cluster: {server: 'https://a.example:6443', 'certificate-authority': 'certs/ca.pem'}}],
  users: [{name: 'user-in-both', user: {token: 'token-a'}}],
  contexts: [{name: 'ctx-a', context: {cluster: 'in-both', user: 'user-in-both', namespace: 'meta-thrift'}}],
})
const b = file('b.yaml', {
  apiVersion: 'v1', kind: 'Config', 'current-context': 'ctx-b',
  clusters: [{name: 'in-both', cluster: {server: 'https://b.example:6443'}}, {name: 'only-b', cluster: {server: 'https://only-b.example'}}],
  users: [{name: 'user-in-both', user: {token: 'token-b'}}],
  contexts: [{name: 'ctx-b', context: {cluster: 'only-b', user: 'user-in-both'}}, {name: 'ctx-a', context: {cluster: 'only-b', user: 'x'}}],
})

describe('kubeconfig resolution like kubectl', () => {
  it('merges KUBECONFIG files with the first file winning names and current-context', () => {
    const r = resolveKubeconfig({env: {KUBECONFIG: [a, b].join(delimiter)}})
    expect(r.files).toEqual([a, b])
    expect(r.contextName).toBe('ctx-a')
    expect(r.cluster.server).toBe('https://a.example:6443')
    expect(r.user.token).toBe('token-a')
    expect(r.namespace).toBe('meta-thrift')
  })

  it('lets --context pick a context from a later file, still with first-file cluster/user entries', () => {
    const r = resolveKubeconfig({env: {KUBECONFIG: [a, b].join(delimiter)}, context: 'ctx-b'})
    expect(r.cluster.server).toBe('https://only-b.example')
    expect(r.user.token).toBe('token-a')
    expect(r.namespace).toBe('default')
    expect(r.namespaceExplicit).toBe(false)
  })

  it('prefers --namespace over the context namespace', () => {
    expect(resolveKubeconfig({env: {KUBECONFIG: a}, namespace: 'other'}).namespace).toBe('other')
  })

  it('resolves relative certificate paths against the kubeconfig directory', () => {
    expect(resolveKubeconfig({env: {KUBECONFIG: a}}).cluster['certificate-authority']).toBe(join(dir, 'certs/ca.pem'))
  })

  it('uses --kubeconfig alone and ignores KUBECONFIG', () => {
    const r = resolveKubeconfig({kubeconfig: b, env: {KUBECONFIG: a}})
    expect(r.contextName).toBe('ctx-b')
    expect(r.files).toEqual([b])
  })

  it('skips missing KUBECONFIG entries but fails on a missing --kubeconfig', () => {
    expect(resolveKubeconfig({env: {KUBECONFIG: [join(dir, 'nope'), b].join(delimiter)}}).contextName).toBe('ctx-b')
    expect(() => resolveKubeconfig({kubeconfig: join(dir, 'nope')})).toThrow(/kubeconfig file .*nope does not exist \(from --kubeconfig\)/)
  })

  it('names the available contexts when --context is wrong, without printing tokens', () => {
    let msg = ''
    try { resolveKubeconfig({env: {KUBECONFIG: [a, b].join(delimiter)}, context: 'prod'}) } catch (e) { msg = (e as Error).message }
    expect(msg).toMatch(/context "prod" not found in .*a\.yaml, .*b\.yaml \(contexts: ctx-a, ctx-b\)/)
    expect(msg).not.toContain('token-a')
  })

  it('falls back to ~/.kube/config and explains how to get a cluster when there is none', () => {
    expect(() => resolveKubeconfig({env: {}, home: dir})).toThrow(/no kubeconfig found at .*\.kube\/config.*aerakictl playground/)
  })
})
