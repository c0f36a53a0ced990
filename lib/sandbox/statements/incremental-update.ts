/**
 * Pads a finished PDF to a target size with a valid incremental update, streamed without building the file.
 *
 * The update appends one new object, a stream of filler bytes, then a new xref section and a trailer whose
 * `/Prev` points at the original xref and whose `/Size` counts the new object (PDF 32000-1 §7.5.6). Readers
 * see the original document unchanged; `qpdf --check` passes.
 *
 * @module
 */
import { bufferChunks } from './chunks.js';
import { fillerChunks } from './filler.js';

/**
 * A PDF that exists only as a recipe: its exact length and a way to stream its bytes again.
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { Readable } from 'node:stream';
 * import { paddedPdf, type PaddedPdf } from './incremental-update.js';
 * declare const pdf: Buffer;
 * declare const res: ServerResponse;
 *
 * const padded: PaddedPdf = paddedPdf(pdf, 3_000_000, 'STA-1');
 * Readable.from(padded.chunks()).pipe(res);
 * ```
 */
export interface PaddedPdf {
  /** Exact number of bytes `chunks()` yields. */
  readonly byteLength: number;
  /** Length of the filler stream inside the update (0 when no padding was needed). */
  readonly fillerBytes: number;
  /** A fresh iteration of the bytes, in chunks of at most 64 KiB. */
  chunks(): Generator<Buffer>;
}

interface Trailer {
  readonly size: number;
  readonly startxref: number;
  /** Trailer entries to carry over (Root, Info, ID), already serialised. */
  readonly carried: readonly string[];
}

const parseTrailer = (pdf: Uint8Array): Trailer => {
  const tail = Buffer.from(pdf.subarray(Math.max(0, pdf.length - 4096))).toString('latin1');
  const at = tail.lastIndexOf('trailer');
  const m = /trailer\s*<<([\s\S]*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail.slice(at));
  const body = m?.[1] ?? '';
  const size = /\/Size\s+(\d+)/.exec(body)?.[1];
  if (!m?.[2] || !size) throw new Error('paddedPdf: no classic trailer with /Size and startxref at the end of the PDF');
  const carried: string[] = [];
  for (const key of ['Root', 'Info', 'ID']) {
    const value = new RegExp(`/${key}\\s*(\\d+\\s+\\d+\\s+R|\\[[^\\]]*\\])`).exec(body)?.[1];
    if (value) carried.push(`/${key} ${value}`);
    else if (key === 'Root') throw new Error('paddedPdf: the trailer has no /Root');
  }
  return { size: Number(size), startxref: Number(m[2]), carried };
};

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

/**
 * Describes `base` padded to at least `minBytes` (exactly, unless a digit boundary forces one byte more).
 *
 * Only `base` is held; the filler is generated afresh, chunk by chunk, on each `chunks()` call.
 *
 * @example
 * ```ts
 * import { paddedPdf } from './incremental-update.js';
 * declare const smallPdf: Buffer;
 *
 * const big = paddedPdf(smallPdf, 50 * 1024 * 1024, 'STA-…');
 * big.byteLength; // 52428800
 * ```
 */
export function paddedPdf(base: Uint8Array, minBytes: number, fillerSeed: string): PaddedPdf {
  if (base.length >= minBytes) {
    return { byteLength: base.length, fillerBytes: 0, chunks: () => bufferChunks(base) };
  }
  const trailer = parseTrailer(base);
  const objectNumber = trailer.size;
  const lead = base[base.length - 1] === 0x0a ? '' : '\n';
  const parts = (fillerBytes: number): { head: Buffer; tail: Buffer } => {
    const objectOffset = base.length + lead.length;
    const head = latin1(`${lead}${objectNumber} 0 obj\n<<\n/Length ${fillerBytes}\n>>\nstream\n`);
    const end = '\nendstream\nendobj\n';
    const xrefOffset = base.length + head.length + fillerBytes + end.length;
    const tail = latin1(
      `${end}xref\n${objectNumber} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \n` +
        `trailer\n<<\n/Size ${objectNumber + 1}\n${trailer.carried.join('\n')}\n/Prev ${trailer.startxref}\n>>\n` +
        `startxref\n${xrefOffset}\n%%EOF\n`,
    );
    return { head, tail };
  };
  const total = (n: number): number => {
    const { head, tail } = parts(n);
    return base.length + head.length + n + tail.length;
  };
  let fillerBytes = Math.max(0, minBytes - total(0));
  while (total(fillerBytes) < minBytes) fillerBytes += minBytes - total(fillerBytes);
  while (fillerBytes > 0 && total(fillerBytes - 1) >= minBytes) fillerBytes -= 1;
  const { head, tail } = parts(fillerBytes);
  return {
    byteLength: total(fillerBytes),
    fillerBytes,
    *chunks() {
      yield* bufferChunks(base);
      yield Buffer.from(head);
      yield* fillerChunks(fillerSeed, fillerBytes);
      yield Buffer.from(tail);
    },
  };
}
