/**
 * A PNG encoder for 8-bit RGB images (PNG spec, ISO/IEC 15948): the signature, then IHDR, one IDAT (the
 * filtered scanlines deflated with node:zlib) and IEND, each chunk with its CRC-32. Each row gets the filter
 * (None, Sub, Up, Average or Paeth) that leaves the smallest sum of absolute values, the usual heuristic.
 *
 * @module
 */
import { deflateSync } from 'node:zlib';
import { crc32 } from './crc32.js';

/**
 * An RGB image: `pixels` holds `width × height × 3` bytes, row by row, red-green-blue.
 *
 * @example
 * ```ts
 * import type { RgbImage } from './encoder.js';
 *
 * const white: RgbImage = { width: 2, height: 1, pixels: new Uint8Array(6).fill(255) };
 * ```
 */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/**
 * The 8 bytes every PNG file starts with.
 *
 * @example
 * ```ts
 * import { PNG_SIGNATURE } from './encoder.js';
 *
 * Buffer.from(PNG_SIGNATURE).toString('hex'); // '89504e470d0a1a0a'
 * ```
 */
export const PNG_SIGNATURE: Uint8Array = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** The largest width or height we encode (keeps a mistaken size from allocating gigabytes). */
const MAX_SIDE = 16_384;
const BYTES_PER_PIXEL = 3;

const chunk = (type: string, data: Uint8Array): Buffer => {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return out;
};

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Filters one scanline with filter `type` into `out` (without the type byte). */
const filterRow = (type: number, row: Uint8Array, prior: Uint8Array, out: Uint8Array): void => {
  for (let i = 0; i < row.length; i++) {
    const a = i >= BYTES_PER_PIXEL ? row[i - BYTES_PER_PIXEL]! : 0;
    const b = prior[i]!;
    const c = i >= BYTES_PER_PIXEL ? prior[i - BYTES_PER_PIXEL]! : 0;
    const predictor = type === 0 ? 0 : type === 1 ? a : type === 2 ? b : type === 3 ? (a + b) >> 1 : paeth(a, b, c);
    out[i] = (row[i]! - predictor) & 0xff;
  }
};

const cost = (filtered: Uint8Array): number => {
  let sum = 0;
  for (const v of filtered) sum += v < 128 ? v : 256 - v;
  return sum;
};

/**
 * Encodes `image` as PNG bytes (colour type 2, bit depth 8, no interlace). Deterministic for the same pixels.
 * Throws a `RangeError` when the size is not a positive integer up to 16384 or `pixels` has the wrong length.
 *
 * @example
 * ```ts
 * import { encodePng } from './encoder.js';
 *
 * const png = encodePng({ width: 1, height: 1, pixels: Uint8Array.of(255, 0, 0) }); // one red pixel
 * png.subarray(12, 16).toString('latin1'); // 'IHDR'
 * ```
 */
export function encodePng(image: RgbImage): Buffer {
  const { width, height, pixels } = image;
  for (const [name, side] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(side) || side < 1 || side > MAX_SIDE) {
      throw new RangeError(`encodePng: ${name} must be an integer from 1 to ${MAX_SIDE}, got ${side}`);
    }
  }
  const stride = width * BYTES_PER_PIXEL;
  if (pixels.length !== stride * height) {
    throw new RangeError(`encodePng: expected ${stride * height} pixel bytes for ${width}×${height} RGB, got ${pixels.length}`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  const scanlines = Buffer.alloc((stride + 1) * height);
  const candidates = Array.from({ length: 5 }, () => new Uint8Array(stride));
  let prior: Uint8Array = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    let best = 0;
    let bestCost = Infinity;
    candidates.forEach((out, type) => {
      filterRow(type, row, prior, out);
      const c = cost(out);
      if (c < bestCost) [best, bestCost] = [type, c];
    });
    scanlines[y * (stride + 1)] = best;
    scanlines.set(candidates[best]!, y * (stride + 1) + 1);
    prior = row;
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
