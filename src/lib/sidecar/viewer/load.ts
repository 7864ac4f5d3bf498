// ink decides once, when it is first imported, whether it runs in CI (the is-in-ci package: CI or
// CONTINUOUS_INTEGRATION set and not "0"/"false"); there it draws nothing until the app unmounts, so the viewer
// would be a blank screen until q. -i is only accepted on a terminal that can redraw, so someone is there to see
// it: ink is loaded for the viewer with those two variables out of the environment, and they are put back after.
const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const

export async function loadViewer(env: NodeJS.ProcessEnv = process.env): Promise<typeof import('./ink-viewer.js')> {
  const saved = CI_VARIABLES.filter((k) => k in env).map((k) => [k, env[k]] as const)
  for (const [k] of saved) delete env[k]
  try {
    return await import('./ink-viewer.js')
  } finally {
    for (const [k, v] of saved) env[k] = v
  }
}
