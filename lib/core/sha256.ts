/**
 * A small streaming SHA-256 (FIPS 180-4) with no platform dependency, so the workflow can check a PDF against
 * MX's `content_hash` in a browser as well as in Node. Node callers may inject `node:crypto` instead through
 * the {@link HasherFactory} seam (the Node entry does).
 *
 * @module
 */

/**
 * An incremental hash: feed it bytes in any chunking, then read the lowercase hex digest once.
 *
 * @example
 * ```ts
 * import { type Hasher } from 'mx-statements-rx';
 * import { createSha256 } from './sha256.js';
 * const h: Hasher = createSha256();
 * h.update(new Uint8Array([1, 2, 3]));
 * h.digest();
 * ```
 */
export interface Hasher {
  /** Feeds the next bytes, in order. */
  update(bytes: Uint8Array): void;
  /** The lowercase hex digest. Calling `update` after `digest` throws. */
  digest(): string;
}

/**
 * Makes a fresh {@link Hasher}. The workflow takes one of these so a platform can supply a faster one.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * import type { HasherFactory } from 'mx-statements-rx';
 * const nodeSha256: HasherFactory = () => {
 *   const h = createHash('sha256');
 *   return { update: (b) => { h.update(b); }, digest: () => h.digest('hex') };
 * };
 * ```
 */
export type HasherFactory = () => Hasher;

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** Compresses the 64-byte block at `offset` of `data` into `h`. `w` is scratch space (64 words). */
const compress = (h: Uint32Array, w: Uint32Array, data: Uint8Array, offset: number): void => {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = ((data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!) >>> 0;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = (k + S1 + ch + K[i]! + w[i]!) >>> 0;
    const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) >>> 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  h[0] = (h[0]! + a) >>> 0;
  h[1] = (h[1]! + b) >>> 0;
  h[2] = (h[2]! + c) >>> 0;
  h[3] = (h[3]! + d) >>> 0;
  h[4] = (h[4]! + e) >>> 0;
  h[5] = (h[5]! + f) >>> 0;
  h[6] = (h[6]! + g) >>> 0;
  h[7] = (h[7]! + k) >>> 0;
};

/**
 * Creates a streaming SHA-256: `update` with chunks of any size (memory stays at one 64-byte block), then
 * `digest()` for the lowercase hex string.
 *
 * @example
 * ```ts
 * import { createSha256 } from './sha256.js';
 * const h = createSha256();
 * h.update(new TextEncoder().encode('ab'));
 * h.update(new TextEncoder().encode('c'));
 * h.digest(); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export const createSha256: HasherFactory = () => {
  const h = new Uint32Array(INITIAL);
  const w = new Uint32Array(64);
  const block = new Uint8Array(64);
  let used = 0; // bytes waiting in `block`
  let total = 0; // message length in bytes
  let done = false;

  const update = (bytes: Uint8Array): void => {
    if (done) throw new Error('sha256: update after digest');
    total += bytes.byteLength;
    let i = 0;
    if (used > 0) {
      const take = Math.min(64 - used, bytes.byteLength);
      block.set(bytes.subarray(0, take), used);
      used += take;
      i = take;
      if (used < 64) return;
      compress(h, w, block, 0);
      used = 0;
    }
    for (; i + 64 <= bytes.byteLength; i += 64) compress(h, w, bytes, i);
    if (i < bytes.byteLength) {
      block.set(bytes.subarray(i), 0);
      used = bytes.byteLength - i;
    }
  };

  const digest = (): string => {
    if (done) throw new Error('sha256: digest called twice');
    done = true;
    const bitsHigh = Math.floor(total / 0x20000000); // total * 8 / 2^32
    const bitsLow = (total * 8) >>> 0;
    block[used++] = 0x80;
    if (used > 56) {
      block.fill(0, used);
      compress(h, w, block, 0);
      used = 0;
    }
    block.fill(0, used, 56);
    const view = new DataView(block.buffer);
    view.setUint32(56, bitsHigh);
    view.setUint32(60, bitsLow);
    compress(h, w, block, 0);
    let hex = '';
    for (const word of h) hex += word.toString(16).padStart(8, '0');
    return hex;
  };

  return { update, digest };
};

/**
 * SHA-256 of one byte array, as lowercase hex.
 *
 * @example
 * ```ts
 * import { sha256Hex } from './sha256.js';
 * sha256Hex(new Uint8Array(0)); // 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
 * ```
 */
export const sha256Hex = (bytes: Uint8Array): string => {
  const h = createSha256();
  h.update(bytes);
  return h.digest();
};
