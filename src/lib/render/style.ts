// Colour only when the stream is a terminal and NO_COLOR is unset (chalk 5 alone ignores NO_COLOR).
import {Chalk, type ChalkInstance} from 'chalk'

export function wantsColor(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  if (env.TERM === 'dumb') return false
  return Boolean(stream.isTTY)
}

export function palette(color: boolean): ChalkInstance {
  return new Chalk({level: color ? 1 : 0})
}

/** A bar of `width` cells for a share in [0, 1]. */
export function bar(share: number, width = 20): string {
  const full = Math.round(Math.max(0, Math.min(1, share)) * width)
  return '█'.repeat(full) + '░'.repeat(width - full)
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`
}

export function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length)
}
