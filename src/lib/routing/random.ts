// A small seeded generator of uint64 values (SplitMix64) for --samples, so a run can be repeated with --seed.
export class SplitMix64 {
  private state: bigint
  constructor(seed: bigint) {
    this.state = BigInt.asUintN(64, seed)
  }

  next(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n)
    let z = this.state
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n)
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn)
    return z ^ (z >> 31n)
  }
}

/** Seeds from text: a number is used as is, anything else is hashed (FNV-1a 64). */
export function seedFrom(text: string): bigint {
  if (/^\d+$/.test(text)) return BigInt.asUintN(64, BigInt(text))
  let h = 0xcbf29ce484222325n
  for (const byte of Buffer.from(text, 'utf8')) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n)
  return h
}
