/**
 * SHA-256 and length of a chunk sequence, computed in one pass without keeping the bytes.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * Length and SHA-256 (lowercase hex) of some bytes.
 *
 * @example
 * ```ts
 * import { digestChunks, type Digest } from './digest.js';
 *
 * const d: Digest = await digestChunks([Buffer.from('abc')]); // { byteLength: 3, sha256: 'ba7816bf…' }
 * ```
 */
export interface Digest {
  readonly byteLength: number;
  readonly sha256: string;
}

/**
 * Hashes chunks as they come, yielding to the event loop every ~4 MiB so a server stays responsive.
 *
 * @example
 * ```ts
 * import { digestChunks } from './digest.js';
 * import { paddedPdf } from './incremental-update.js';
 * declare const pdf: Buffer;
 *
 * const { byteLength, sha256 } = await digestChunks(paddedPdf(pdf, 3_000_000, 'STA-1').chunks());
 * ```
 */
export async function digestChunks(chunks: Iterable<Uint8Array>, yieldEvery = 4 * 1024 * 1024): Promise<Digest> {
  const hash = createHash('sha256');
  let byteLength = 0;
  let sinceYield = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    byteLength += chunk.length;
    sinceYield += chunk.length;
    if (sinceYield >= yieldEvery) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
  }
  return { byteLength, sha256: hash.digest('hex') };
}
