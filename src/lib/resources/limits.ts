// The size cap on manifest input, apart from the reader so that flag definitions can name it without loading the
// YAML parser (commands import their flags on every start).

/** Default cap on one input file (manifests are kilobytes; a 100 MB file is a mistake or an attack). */
export const DEFAULT_MAX_INPUT_MB = 64

/** The cap in bytes: --max-input-mb (`flagMb`), else AERAKICTL_MAX_INPUT_MB, else 64 MB. */
export function maxInputBytes(flagMb?: number): number {
  const env = Number(process.env.AERAKICTL_MAX_INPUT_MB)
  return (flagMb !== undefined && flagMb > 0 ? flagMb : Number.isFinite(env) && env > 0 ? env : DEFAULT_MAX_INPUT_MB) * 1024 * 1024
}
