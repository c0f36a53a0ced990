/**
 * An independent PNG decoder for specs (8-bit RGB, non-interlaced, as our encoder writes): it checks the
 * signature, the chunk layout and every CRC (with node:zlib's crc32, not ours), then inflates the IDAT data
 * and undoes the five row filters (PNG spec §9). Shares no code with lib/sandbox/png.
 *
 * @module
 */
import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';

/** One chunk as stored, with the CRC it carries and the one computed over type + data. */
export interface PngChunk {
  readonly type: string;
  readonly data: Buffer;
  readonly storedCrc: number;
  readonly computedCrc: number;
}

/** A decoded image and what was found on the way. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlace: number;
  /** `width × height × 3` bytes, RGB. */
  readonly pixels: Buffer;
  readonly chunks: readonly PngChunk[];
  /** The filter type byte of each row. */
  readonly filters: readonly number[];
}

const SIGNATURE = '89504e470d0a1a0a';

/** Splits `png` into chunks, checking the signature and that the chunks fill the file exactly. */
export function pngChunks(png: Buffer): PngChunk[] {
  if (png.subarray(0, 8).toString('hex') !== SIGNATURE) throw new Error('not a PNG signature');
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at < png.length) {
    if (at + 12 > png.length) throw new Error(`truncated chunk at ${at}`);
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    if (at + 12 + length > png.length) throw new Error(`chunk at ${at} runs past the end`);
    chunks.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: typeAndData.subarray(4),
      storedCrc: png.readUInt32BE(at + 8 + length),
      computedCrc: zlibCrc32(typeAndData) >>> 0,
    });
    at += 12 + length;
  }
  return chunks;
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
};

/** Decodes an 8-bit RGB PNG; throws on a bad CRC, a missing IHDR/IDAT/IEND or an unknown filter. */
export function decodePng(png: Buffer): DecodedPng {
  const chunks = pngChunks(png);
  for (const c of chunks) if (c.storedCrc !== c.computedCrc) throw new Error(`bad CRC in ${c.type}`);
  const [first, last] = [chunks[0], chunks.at(-1)];
  if (first?.type !== 'IHDR' || first.data.length !== 13) throw new Error('IHDR must come first, 13 bytes long');
  if (last?.type !== 'IEND' || last.data.length !== 0) throw new Error('IEND must come last, empty');
  const ihdr = first.data;
  const [width, height] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)];
  const [bitDepth, colorType, compression, filterMethod, interlace] = [...ihdr.subarray(8, 13)] as number[];
  if (bitDepth !== 8 || colorType !== 2 || compression !== 0 || filterMethod !== 0 || interlace !== 0) {
    throw new Error(`unsupported IHDR: depth ${bitDepth}, colour ${colorType}, interlace ${interlace}`);
  }
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  if (idat.length === 0) throw new Error('no IDAT');
  const raw = inflateSync(idat);
  const stride = width * 3;
  if (raw.length !== (stride + 1) * height) throw new Error(`inflated ${raw.length} bytes, expected ${(stride + 1) * height}`);
  const pixels = Buffer.alloc(stride * height);
  const filters: number[] = [];
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]!;
    filters.push(type);
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= 3 ? pixels[y * stride + i - 3]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i]! : 0;
      const c = i >= 3 && y > 0 ? pixels[(y - 1) * stride + i - 3]! : 0;
      const predictor = [0, a, b, Math.floor((a + b) / 2), paeth(a, b, c)][type];
      if (predictor === undefined) throw new Error(`unknown filter ${type} on row ${y}`);
      pixels[y * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  return { width, height, bitDepth, colorType, interlace, pixels, chunks, filters };
}

/** The colour at (x, y) of a decoded image. */
export const rgbAt = (png: DecodedPng, x: number, y: number): [number, number, number] => {
  const at = (y * png.width + x) * 3;
  return [png.pixels[at]!, png.pixels[at + 1]!, png.pixels[at + 2]!];
};

/** Perceived brightness, 0–255 (ITU-R BT.601 weights). */
export const luminance = ([r, g, b]: readonly number[]): number => 0.299 * r! + 0.587 * g! + 0.114 * b!;
