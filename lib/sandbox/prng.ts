/**
 * A seeded pseudo-random generator (mulberry32 over a SHA-256 of the seed) for the fault picker.
 *
 * @module
 */
import { createHash } from 'node:crypto';

/**
 * Returns a function yielding floats in [0, 1), the same sequence for the same seed parts.
 *
 * @example
 * ```ts
 * import { seededRandom } from './prng.js';
 *
 * const next = seededRandom('seed', 'faults');
 * next(); // deterministic
 * ```
 */
export function seededRandom(...parts: ReadonlyArray<string>): () => number {
  let state = createHash('sha256').update(parts.join('\u0000')).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
