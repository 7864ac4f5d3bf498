// The shipped entry point (node bin/run.js: the bundle with its code cache), spawned as a user runs it, next to the
// in-process runner the other command tests use: same exit codes, same stdout, same first stderr line.
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runBin, runCli} from '../support/cli.js'
import {CONFIG_DUMPS, RECORDED} from '../support/fixtures.js'
import {THRIFT_DEMO} from '../support/demo.js'

const firstLine = (s: string) => s.split('\n')[0]

describe('bin/run.js (spawned) agrees with runCli (in-process)', () => {
  const cases: Array<[string, string[], string?]> = [
    ['version', ['version']],
    ['help of a topic', ['route', '--help']],
    ['dry-run of a template as JSON', ['route', 'dry-run', '--template', 'traffic-split', '--random-value', '20', '-o', 'json']],
    ['dry-run on a config dump', ['route', 'dry-run', '--config-dump', join(CONFIG_DUMPS, 'thrift-client-config-dump-split.json')]],
    ['sidecar-config on a recorded route table', ['sidecar-config', '--file', join(RECORDED, 'aeraki-thrift-traffic-split.routes.json'), '-o', 'table']],
    ['route verify in sync (exit 0)', ['route', 'verify', '--file', join(RECORDED, 'aeraki-thrift-traffic-split.routes.json'), '-f', join(THRIFT_DEMO, 'traffic-split.yaml'), '-f', join(THRIFT_DEMO, 'destinationrule.yaml')]],
    ['route verify not in sync', ['route', 'verify', '--file', join(CONFIG_DUMPS, 'thrift-client-config-dump.json'), '-f', join(THRIFT_DEMO, 'traffic-split.yaml')]],
    ['a bad flag value (exit 2)', ['route', 'dry-run', '--random-value', 'x']],
    ['an unknown command', ['no-such-command']],
    ['dry-run reading stdin', ['route', 'dry-run', '-f', '-', '--host', 'thrift-sample-server.meta-thrift.svc.cluster.local', '-o', 'json'], 'input'],
  ]
  for (const [name, args, withInput] of cases) {
    it(name, async () => {
      const opts = withInput ? {input: (await import('node:fs')).readFileSync(join(THRIFT_DEMO, 'traffic-split.yaml'), 'utf8') + '---\n' + (await import('node:fs')).readFileSync(join(THRIFT_DEMO, 'thrift-sample.yaml'), 'utf8')} : {}
      const [bin, inproc] = await Promise.all([runBin(args, opts), runCli(args, opts)])
      expect(bin.code, bin.stderr).toBe(inproc.code)
      expect(bin.stdout).toBe(inproc.stdout)
      expect(firstLine(bin.stderr)).toBe(firstLine(inproc.stderr))
    })
  }
})
