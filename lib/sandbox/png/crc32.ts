/**
 * CRC-32 as PNG chunks use it (ISO 3309 / ITU-T V.42; PNG spec §5.5): polynomial 0xEDB88320 (reflected),
 * initial value and final XOR 0xFFFFFFFF, computed a byte at a time from a 256-entry table.
 *
 * @module
 */

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of `bytes` (an unsigned 32-bit number). Pass the previous result as `crc` to continue over more
 * bytes, as if they had been given together.
 *
 * @example
 * ```ts
 * import { crc32 } from './crc32.js';
 *
 * crc32(Buffer.from('123456789')).toString(16); // 'cbf43926', the standard check value
 * crc32(Buffer.from('6789'), crc32(Buffer.from('12345'))) === crc32(Buffer.from('123456789')); // true
 * ```
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
