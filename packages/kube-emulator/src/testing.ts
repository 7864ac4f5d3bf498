// The test entry point (`@aerakictl/kube-emulator/testing`): the same emulator plus fault injection (cut log
// streams, failing image pulls, expired watches) and a second, namespace-limited user. Not for products.
import {randomBytes} from 'node:crypto'
import {startEmulatorWith, type Emulator, type EmulatorOptions} from './core.js'
import {Faults} from './faults.js'

export {Faults} from './faults.js'
export {serverSideApply} from './managed.js'

export interface TestEmulatorOptions extends EmulatorOptions {
  /** Namespaces the limited token may use (default ["default"]). */
  limitedNamespaces?: string[]
}

export interface TestEmulator extends Emulator {
  /** A bearer token whose user may only touch `limitedNamespaces`. */
  limitedToken: string
  faults: Faults
}

export async function startTestEmulator(options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const faults = new Faults()
  const limitedToken = randomBytes(24).toString('base64url')
  const emu = await startEmulatorWith(options, {
    faults,
    onExpireWatches: (expire) => { faults.expireWatchesHook = expire },
    limited: {token: limitedToken, namespaces: options.limitedNamespaces ?? ['default']},
  })
  return Object.assign(emu, {limitedToken, faults})
}
