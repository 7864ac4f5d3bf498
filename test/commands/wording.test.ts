// Wording that was wrong: the uninstall report claimed "no demo namespace left" while meta-dubbo was still there,
// "Rate limit10 requests" lacked a space, "dry run of 1 objects" its singular.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/cli.js'
import {startPlaygroundWithDemo, type Playground} from '../support/playground.js'
import {renderUninstallReport} from '../../src/lib/install/uninstall.js'
import {plural} from '../../src/lib/render/plural.js'

const id = (s: string) => s

describe('the uninstall report says what is gone, and only that', () => {
  let pg: Playground
  beforeAll(async () => {
    pg = await startPlaygroundWithDemo({demo: ['thrift', 'dubbo']})
  })
  afterAll(async () => {
    await pg?.close()
  })

  it('uninstall demo thrift with meta-dubbo installed: meta-thrift is gone, no claim that no demo is left', async () => {
    const r = await runCli(['uninstall', 'demo', 'thrift', '--yes', '--kubeconfig', pg.kubeconfig])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).not.toContain('no demo namespace left')
    expect(r.stdout).toContain('Demo uninstalled: meta-thrift is gone; other demos were not touched.')
    const ns = pg.emu.state.cluster.list(pg.emu.state.cluster.type('', 'namespaces')).map((n: any) => n.metadata.name)
    expect(ns).toContain('meta-dubbo')
    expect(ns).not.toContain('meta-thrift')
  })

  it('renders every case truthfully', () => {
    const base = {context: 'c', timedOut: false, interrupted: false, elapsedMs: 1}
    expect(renderUninstallReport({...base, namespaces: [{name: 'meta-thrift', outcome: 'deleted'}, {name: 'meta-dubbo', outcome: 'deleted'}]}, id, id, '5m')).toContain('Demo uninstalled: no demo namespace left.')
    expect(renderUninstallReport({...base, namespaces: [{name: 'meta-dubbo', outcome: 'deleted'}]}, id, id, '5m')).toContain('Demo uninstalled: meta-dubbo is gone; other demos were not touched.')
    expect(renderUninstallReport({...base, namespaces: [{name: 'meta-dubbo', outcome: 'absent'}]}, id, id, '5m')).toContain('Nothing to uninstall: meta-dubbo does not exist.')
    expect(renderUninstallReport({...base, namespaces: [{name: 'meta-thrift', outcome: 'absent'}, {name: 'meta-dubbo', outcome: 'absent'}]}, id, id, '5m')).toContain('Nothing to uninstall: no demo namespace exists.')
  })
})

describe('counts and labels', () => {
  it('a count agrees with its noun', () => {
    expect([plural(1, 'object'), plural(2, 'object'), plural(0, 'object')]).toEqual(['1 object', '2 objects', '0 objects'])
  })

  it('the rate-limit line of dry-run keeps a space after its label', async () => {
    const r = await runCli(['route', 'dry-run', '--host', 'dubbo', '--template', 'local-ratelimit', '--sequence', '10'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Rate limit \S/m)
    expect(r.stdout).not.toMatch(/Rate limit\d/)
  })
})
