// Shared helpers for emulator tests: start an emulator and build client-node objects against it.
import * as k8s from '@kubernetes/client-node'
import {startEmulator, type Emulator, type EmulatorOptions} from '../../support/emulator.js'
import {until, type Truthy} from '../../support/wait.js'

export async function withEmulator(opts: EmulatorOptions = {}): Promise<{emu: Emulator; kc: k8s.KubeConfig}> {
  const emu = await startEmulator({podStartDelayMs: 20, ...opts})
  const kc = new k8s.KubeConfig()
  kc.loadFromString(emu.kubeconfigYaml())
  return {emu, kc}
}

export function kubeconfigFor(emu: Emulator, token: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig()
  kc.loadFromString(emu.kubeconfigYaml({token}))
  return kc
}

/** Polls until `fn` returns a truthy value (or throws the last error after `ms`). */
export function eventually<T>(fn: () => T | Promise<T>, ms = 10_000, every = 25): Promise<Truthy<T>> {
  return until(fn, 'condition', ms, every)
}

export function apiError(e: unknown): {code: number; body: any} {
  const err = e as {code?: number; body?: unknown}
  return {code: err.code ?? 0, body: typeof err.body === 'string' ? JSON.parse(err.body) : err.body}
}
