/** "1 object", "2 objects": counts in messages agree with their noun. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`
}
