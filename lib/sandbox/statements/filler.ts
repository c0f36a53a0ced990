/**
 * Deterministic, incompressible filler bytes produced chunk by chunk (AES-128-CTR keystream of a seed).
 *
 * @module
 */
import { createCipheriv, createHash } from 'node:crypto';

/**
 * Default chunk size for everything a statement stream yields: 64 KiB.
 *
 * @example
 * ```ts
 * import { CHUNK_BYTES, fillerChunks } from './filler.js';
 *
 * for (const chunk of fillerChunks('s', 1e6)) chunk.length <= CHUNK_BYTES; // always true
 * ```
 */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Yields exactly `length` pseudo-random bytes derived from `seed`, in fresh chunks of at most `chunkBytes`.
 *
 * The same seed always yields the same bytes; only one chunk exists at a time, whatever the length.
 *
 * @example
 * ```ts
 * import { fillerChunks } from './filler.js';
 *
 * let n = 0;
 * for (const chunk of fillerChunks('STA-1', 200_000)) n += chunk.length; // n === 200_000
 * ```
 */
export function* fillerChunks(seed: string, length: number, chunkBytes = CHUNK_BYTES): Generator<Buffer> {
  const key = createHash('sha256').update(`mx-statements-rx/filler\u0000${seed}`).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  const zeros = Buffer.alloc(chunkBytes);
  for (let left = length; left > 0; left -= chunkBytes) {
    yield cipher.update(left >= chunkBytes ? zeros : zeros.subarray(0, left));
  }
}
