// The emulator as most tests want it: the Aeraki playground plugin on the test entry point of
// @aerakictl/kube-emulator (fault injection, a namespace-limited token), pods starting in 20 ms unless told.
import {startTestEmulator, type TestEmulator, type TestEmulatorOptions} from '@aerakictl/kube-emulator/testing'
import {startAerakiEmulator, type AerakiPlaygroundOptions} from '../../src/lib/playground/index.js'

export type Emulator = TestEmulator
export type EmulatorOptions = TestEmulatorOptions & AerakiPlaygroundOptions

export function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  return startAerakiEmulator(opts, startTestEmulator)
}
