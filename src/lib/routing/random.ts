// Seeds for --samples, so a run can be repeated with --seed.
/** Seeds from text: a number is used as is, anything else is hashed (FNV-1a 64). */
export function seedFrom(text: string): bigint {
  if (/^\d+$/.test(text)) return BigInt.asUintN(64, BigInt(text))
  let h = 0xcbf29ce484222325n
  for (const byte of Buffer.from(text, 'utf8')) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n)
  return h
}
