/**
 * Splitting a buffer into fresh, bounded chunks (copies, so a consumer can never alter a cached original).
 *
 * @module
 */
import { CHUNK_BYTES } from './filler.js';

/**
 * Yields copies of `bytes` in slices of at most `chunkBytes`.
 *
 * @example
 * ```ts
 * import { bufferChunks } from './chunks.js';
 *
 * [...bufferChunks(Buffer.alloc(100_000))].map((c) => c.length); // [65536, 34464]
 * ```
 */
export function* bufferChunks(bytes: Uint8Array, chunkBytes = CHUNK_BYTES): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    yield Buffer.from(bytes.subarray(at, Math.min(at + chunkBytes, bytes.length)));
  }
}
