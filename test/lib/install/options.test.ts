// --timeout parsing and the y/N confirmation of uninstall.
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {confirm, describeNamespaces} from '../../../src/lib/install/confirm.js'
import {parseTimeout} from '../../../src/lib/install/options.js'
import {formatDuration} from '../../../src/lib/install/report.js'
import {InputError} from '../../../src/lib/resources/errors.js'

describe('--timeout', () => {
  it('takes Go durations and bare seconds', () => {
    expect(parseTimeout('5m')).toBe(300_000)
    expect(parseTimeout('1m30s')).toBe(90_000)
    expect(parseTimeout('90')).toBe(90_000)
    expect(parseTimeout('250ms')).toBe(250)
  })

  it('refuses what is not a positive duration', () => {
    for (const bad of ['soon', '0s', '-5m', '5 minutes', '']) expect(() => parseTimeout(bad)).toThrow(InputError)
  })

  it('prints like kubectl', () => {
    expect([300_000, 90_000, 1000, 1500, 3_600_000].map(formatDuration)).toEqual(['5m0s', '1m30s', '1s', '1.5s', '1h0m0s'])
  })
})

describe('confirm', () => {
  const ask = async (typed: string) => {
    const input = new PassThrough()
    const output = new PassThrough()
    let shown = ''
    output.on('data', b => (shown += b))
    const answer = confirm('Delete namespace meta-thrift?', input, output)
    input.end(typed)
    return {answer: await answer, shown}
  }

  it('is yes only for y or yes', async () => {
    expect(await ask('y\n')).toEqual({answer: true, shown: 'Delete namespace meta-thrift? [y/N] '})
    expect((await ask('YES\n')).answer).toBe(true)
    expect((await ask('\n')).answer).toBe(false)
    expect((await ask('n\n')).answer).toBe(false)
    expect((await ask('yep\n')).answer).toBe(false)
  })

  it('names the namespaces with their pod counts', () => {
    expect(describeNamespaces([{name: 'meta-thrift', pods: 4}, {name: 'meta-dubbo', pods: 1}, {name: 'x'}])).toBe('meta-thrift (4 pods) and meta-dubbo (1 pod) and x')
  })
})
