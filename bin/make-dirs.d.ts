/** Creates `dir` and its missing parents (`mode` for the ones it makes); throws the first real error. */
export function makeDirs(dir: string, mode?: number): void
