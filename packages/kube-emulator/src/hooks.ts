// Points where tests inject faults (see ./testing.ts); the plain emulator leaves them inert.
export interface FaultHooks {
  /** Image substrings whose pulls fail. */
  readonly failingImages: ReadonlySet<string>
  /** A log-stream cut planned for this pod, taken once. */
  takeLogCut(podName: string): {afterLines: number} | undefined
}

export const NO_FAULTS: FaultHooks = {failingImages: new Set(), takeLogCut: () => undefined}
