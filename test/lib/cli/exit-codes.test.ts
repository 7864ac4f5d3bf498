import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {classifyError, EXIT_CODES, ExitCode, exitCodesMarkdown, InterruptedError} from '../../../src/lib/cli/exit-codes.js'
import {InputError} from '../../../src/lib/resources/errors.js'
import {KubeError} from '../../../src/lib/kube/errors.js'
import {Interrupted} from '../../../src/lib/install/preflight.js'
import {confirm} from '../../../src/lib/install/confirm.js'
import {ROOT} from '../../support/cli.js'

describe('the exit-code table', () => {
  it('is the one of the README, codes in order and unique', () => {
    expect(EXIT_CODES.map(e => e.code)).toEqual([0, 1, 2, 3, 4, 79, 130])
    expect(Object.values(ExitCode)).toEqual(EXIT_CODES.map(e => e.code))
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(exitCodesMarkdown())
  })

  it('maps each kind of error to its code and a machine-readable name', () => {
    expect(classifyError(new InputError('bad', '--x'))).toMatchObject({code: 'BAD_INPUT', exitCode: 2, message: '--x: bad'})
    expect(classifyError(new KubeError('unreachable', 'down'))).toMatchObject({code: 'CLUSTER_UNREACHABLE', exitCode: 4})
    expect(classifyError(new KubeError('forbidden', 'no', 403))).toMatchObject({code: 'CLUSTER_FORBIDDEN', exitCode: 4})
    expect(classifyError(new KubeError('timeout', 'slow'))).toMatchObject({code: 'CLUSTER_TIMEOUT', exitCode: 4})
    expect(classifyError(new KubeError('auth-plugin', 'exec failed'))).toMatchObject({code: 'CLUSTER_AUTH_PLUGIN', exitCode: 4})
    // The API server refusing an object as invalid is bad input; an 'invalid' state without an API answer is not.
    expect(classifyError(new KubeError('invalid', 'refused', 422))).toMatchObject({code: 'CLUSTER_INVALID', exitCode: 2})
    expect(classifyError(new KubeError('invalid', 'pod is Pending'))).toMatchObject({exitCode: 4})
    expect(classifyError(new InterruptedError())).toMatchObject({code: 'INTERRUPTED', exitCode: 130})
    expect(classifyError(new Interrupted())).toMatchObject({code: 'INTERRUPTED', exitCode: 130})
    expect(classifyError(Object.assign(new Error('Nonexistent flag: --x'), {oclif: {exit: 2}}))).toMatchObject({code: 'BAD_FLAGS', exitCode: 2})
    expect(classifyError(new TypeError('x is undefined'))).toMatchObject({code: 'UNEXPECTED', exitCode: 1, expected: false})
  })
})

describe('confirm on a terminal', () => {
  it('Ctrl-C at the prompt is an interruption, not a "no"', async () => {
    const input = Object.assign(new PassThrough(), {isTTY: true, setRawMode: () => input})
    const output = Object.assign(new PassThrough(), {isTTY: true, columns: 80})
    output.resume()
    const answer = confirm('Delete namespace meta-thrift?', input, output)
    input.write('\u0003')
    await expect(answer).rejects.toThrow(InterruptedError)
  })
})
