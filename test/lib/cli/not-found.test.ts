import {describe, expect, it} from 'vitest'
import {editDistance, suggest} from '../../../src/lib/cli/not-found.js'

describe('did you mean', () => {
  const ids = ['route dry-run', 'route analyze', 'route test', 'route verify', 'templates list', 'templates show', 'apply', 'app-log', 'version']
  it('measures edits', () => {
    expect(editDistance('dryrun', 'dry-run')).toBe(1)
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('kitten', 'sitting')).toBe(3)
  })
  it('suggests the closest command only when it is a plausible typo', () => {
    expect(suggest('route dryrun', ids)).toBe('route dry-run')
    expect(suggest('route tset', ids)).toBe('route test')
    expect(suggest('aply', ids)).toBe('apply')
    expect(suggest('versoin', ids)).toBe('version')
    expect(suggest('kubernetes', ids)).toBeUndefined()
  })
})
