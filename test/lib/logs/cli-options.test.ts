// Flags to options: defaults (stern's stream caps), and every mistake named after its flag.
import {describe, expect, it} from 'vitest'
import {buildOptions, type AppLogFlags} from '../../../src/lib/logs/cli-options.js'

const tty = {color: true, stdoutIsTTY: true}
const build = (f: Partial<AppLogFlags>, term = tty) => buildOptions({contextNamespace: 'default', app: 'client', ...f}, term)

describe('app-log options', () => {
  it('takes the namespace from the argument, -n or the context; caps 50 streams with -f, 5 without', () => {
    expect(build({namespaceArg: 'meta-thrift'}).namespace).toBe('meta-thrift')
    expect(build({namespaceFlag: 'meta-dubbo'}).namespace).toBe('meta-dubbo')
    expect(build({}).namespace).toBe('default')
    expect(build({follow: true}).maxLogRequests).toBe(50)
    expect(build({}).maxLogRequests).toBe(5)
    expect(build({since: '1h30m'}).sinceSeconds).toBe(5400)
    expect(build({sinceTime: '2026-01-02T15:04:05.123+01:00'}).sinceTime).toBe('2026-01-02T14:04:05Z')
    expect(build({tail: -1}).tailLines).toBeUndefined()
    expect(build({container: ['a,b', 'a']}).containers).toEqual({kind: 'named', names: ['a', 'b']})
    expect(build({sidecar: true}).containers).toEqual({kind: 'sidecar'})
  })

  it('colours only text, and draws the live footer only on a terminal with -f --tally', () => {
    expect(build({output: 'json'}).color).toBe(false)
    expect(build({tally: true, follow: true}).footer).toBe(true)
    expect(build({tally: true, follow: true}, {color: false, stdoutIsTTY: false}).footer).toBe(false)
    expect(build({tally: true}).footer).toBe(false)
  })

  it('names the flag of each mistake', () => {
    expect(() => build({app: undefined})).toThrow('APP: name an APP (a part of the pod names, e.g. client) or give -l SELECTOR')
    expect(() => build({namespaceArg: 'a', namespaceFlag: 'b'})).toThrow('NAMESPACE: the NAMESPACE argument "a" and -n "b" disagree; give one')
    expect(() => build({since: '10m', sinceTime: '2026-01-02T15:04:05Z'})).toThrow('--since: give either --since or --since-time')
    expect(() => build({sinceTime: 'yesterday'})).toThrow('--since-time: "yesterday" is not an RFC3339 time')
    expect(() => build({sidecar: true, container: ['app']})).toThrow('--sidecar')
    expect(() => build({include: ['(']})).toThrow(/^--include: not a valid regular expression/)
    expect(() => build({maxLogRequests: 0})).toThrow('--max-log-requests: must be 1 or more')
    expect(() => build({tail: -2})).toThrow('--tail')
  })
})
