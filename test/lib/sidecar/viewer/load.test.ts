// loadViewer hides CI and CONTINUOUS_INTEGRATION only while ink is imported: the rest of the run sees them again.
import {describe, expect, it} from 'vitest'
import {loadViewer} from '../../../../src/lib/sidecar/viewer/load.js'

describe('loadViewer', () => {
  it('gives the viewer and puts the CI variables back as they were', async () => {
    const env: NodeJS.ProcessEnv = {CI: 'true', CONTINUOUS_INTEGRATION: '', OTHER: 'x'}
    const viewer = await loadViewer(env)
    expect(typeof viewer.runViewer).toBe('function')
    expect(env).toEqual({CI: 'true', CONTINUOUS_INTEGRATION: '', OTHER: 'x'})
  })

  it('adds no variable that was not there', async () => {
    const env: NodeJS.ProcessEnv = {OTHER: 'x'}
    await loadViewer(env)
    expect(env).toEqual({OTHER: 'x'})
  })
})
