/**
 * A small seeded PRNG (sfc32) whose state comes from a SHA-256 of its seed parts.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * A deterministic source of random numbers.
 *
 * @example
 * ```ts
 * import { createRng, type Rng } from './prng.js';
 *
 * const rng: Rng = createRng('seed');
 * rng.pick(['a', 'b']);
 * ```
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<A>(items: readonly [A, ...A[]]): A;
}

/**
 * Hashes seed parts into four 32-bit words (the first 16 bytes of a SHA-256 of the parts joined by NUL).
 *
 * @example
 * ```ts
 * import { seedWords } from './prng.js';
 *
 * const [a, b, c, d] = seedWords('seed', 'MBR-1'); // four uint32, the same on every run
 * ```
 */
export function seedWords(...parts: ReadonlyArray<string | number>): [number, number, number, number] {
  const digest = createHash('sha256').update(parts.map(String).join('\u0000')).digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
}

/**
 * Creates an sfc32 generator seeded from the given parts.
 *
 * @example
 * ```ts
 * import { createRng } from './prng.js';
 *
 * const rng = createRng('seed', 'MBR-1', 'account', 0);
 * rng.int(20, 60); // the same integer on every run
 * ```
 */
export function createRng(...parts: ReadonlyArray<string | number>): Rng {
  let [a, b, c, d] = seedWords(...parts);
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32();
  const next = (): number => nextUint32() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] ?? items[0],
  };
}
