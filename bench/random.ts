/**
 * A small seeded PRNG (sfc32) so that a benchmark data set is reproducible: row n of seed s is always
 * the same property, whichever order rows are generated in (the ingest phase generates rows past the
 * end of the loaded table with the same code).
 */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  /** true with probability p. */
  chance(p: number): boolean;
};

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Mixes two integers into a 32-bit seed (murmur3 finaliser). */
function mix(x: number, y: number): number {
  let h = (Math.imul(x ^ 0x9e3779b9, 0x85ebca6b) ^ y) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function rngFor(seed: number, stream: number): Rng {
  const raw = sfc32(mix(seed, stream), mix(stream, seed), mix(seed + 1, stream + 7), 0xdeadbeef ^ stream);
  for (let i = 0; i < 8; i++) raw(); // discard the weakly mixed first outputs
  const rng: Rng = {
    next: raw,
    between: (lo, hi) => lo + (hi - lo) * raw(),
    int: (lo, hi) => lo + Math.floor(raw() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(raw() * items.length)] as (typeof items)[number],
    chance: (p) => raw() < p,
  };
  return rng;
}
