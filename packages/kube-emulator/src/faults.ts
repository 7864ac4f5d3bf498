// Fault injection for tests: cut a log stream mid-line, fail an image pull, expire watches.
import type {FaultHooks} from './hooks.js'

export class Faults implements FaultHooks {
  /** Image substrings whose pulls fail (pods stay in ErrImagePull/ImagePullBackOff). */
  readonly failingImages = new Set<string>()
  private logCuts: Array<{pod: string; afterLines: number}> = []
  expireWatchesHook: () => number = () => 0

  failImage(imageSubstring: string): void {
    this.failingImages.add(imageSubstring)
  }

  /** The next log stream of a pod whose name contains `pod` is cut after `afterLines` lines, halfway through the next one. */
  cutNextLogStream(pod: string, afterLines = 1): void {
    this.logCuts.push({pod, afterLines})
  }

  takeLogCut(podName: string): {afterLines: number} | undefined {
    const i = this.logCuts.findIndex((c) => podName.includes(c.pod))
    return i < 0 ? undefined : this.logCuts.splice(i, 1)[0]
  }

  /** Ends every open watch with 410 Gone and makes all earlier resourceVersions too old. Returns how many were open. */
  expireWatches(): number {
    return this.expireWatchesHook()
  }
}
