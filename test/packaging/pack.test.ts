// The npm tarball works on its own: packed from the built tree, installed globally into a temporary prefix, and
// run from / (no repository around) for route dry-run, --help and the completion script.
// `npm pack --ignore-scripts` here because the build already ran (global setup); `prepack` builds for a user.
import {execFile} from 'node:child_process'
import {accessSync, constants, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ROOT} from '../support/cli.js'

const run = promisify(execFile)

// The install writes some thousands of files: on a RAM-backed tmpfs when the machine has one (measured: 7.7 s of
// system time on disk, 4.8 s on /dev/shm).
const scratch = (() => {
  try {
    accessSync('/dev/shm', constants.W_OK)
    return '/dev/shm'
  } catch {
    return tmpdir()
  }
})()

describe('npm pack, then a global install from the tarball', () => {
  const dir = mkdtempSync(join(scratch, 'aerakictl-pack-'))
  const prefix = join(dir, 'prefix')
  let bin: string
  let tarball: string

  beforeAll(async () => {
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {cwd: ROOT, maxBuffer: 64 * 1024 * 1024})
    tarball = join(dir, JSON.parse(packed.stdout)[0].filename)
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {cwd: dir, maxBuffer: 64 * 1024 * 1024})
    bin = join(prefix, 'bin', 'aerakictl')
  }, 600_000)
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('prepack builds, so a fresh clone cannot pack a tarball without dist/', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    expect(pkg.scripts.prepack).toBe('npm run build')
    expect(pkg.files).toEqual(expect.arrayContaining(['bin', 'dist', 'templates', 'oclif.manifest.json']))
  })

  it('runs route dry-run, --help, the completion script and its candidates, and version from /', async () => {
    const env = {...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(dir, 'cache')}
    const dry = await run(bin, ['route', 'dry-run', '--template', 'traffic-split', '--random-value', '19', '-o', 'json'], {cwd: '/', env})
    const doc = JSON.parse(dry.stdout)
    expect(doc.selectedCluster).toBe('outbound|9090|v1|thrift-sample-server.meta-thrift.svc.cluster.local')
    const help = await run(bin, ['--help'], {cwd: '/', env})
    expect(help.stdout).toMatch(/^ +route +Simulate/m)
    expect(help.stdout).toContain('EXIT CODES')
    const completion = await run(bin, ['completion', 'bash'], {cwd: '/', env})
    expect(completion.stdout).toContain('aerakictl __complete')
    const candidates = await run(bin, ['__complete', 'ro'], {cwd: '/', env})
    expect(candidates.stdout.split('\n')).toContain('route')
    const version = await run(bin, ['version', '--json'], {cwd: '/', env})
    expect(JSON.parse(version.stdout)).toMatchObject({name: 'aerakictl', version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version})
  }, 120_000)
})
