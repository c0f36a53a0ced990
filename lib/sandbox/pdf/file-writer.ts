/**
 * Writes a PDF file body: the header, numbered indirect objects (plain or stream), then one classic
 * cross-reference table and trailer (PDF 32000-1 §7.5). Offsets are counted as the bytes are appended.
 *
 * @module
 */
import { serializePdfValue, type PdfDict, type PdfValue } from './objects.js';

/**
 * The PDF versions we may declare in the header.
 *
 * @example
 * ```ts
 * import type { PdfVersion } from './file-writer.js';
 *
 * const v: PdfVersion = '1.4';
 * ```
 */
export type PdfVersion = '1.3' | '1.4' | '1.5' | '1.6' | '1.7';

/**
 * Appends objects to a new PDF file and finishes it with its xref table and trailer. Objects may be written
 * in any order but each number from 1 up to the highest exactly once; `finish` refuses a gap.
 *
 * @example
 * ```ts
 * import { PdfFileWriter } from './file-writer.js';
 * import { PdfName, PdfRef } from './objects.js';
 *
 * const file = new PdfFileWriter('1.4');
 * file.writeObject(1, { Type: new PdfName('Catalog'), Pages: new PdfRef(2) });
 * file.writeObject(2, { Type: new PdfName('Pages'), Count: 0, Kids: [] });
 * const pdf = file.finish({ Root: new PdfRef(1) }); // '%PDF-1.4' … 'xref' … 'trailer' … '%%EOF\n'
 * ```
 */
export class PdfFileWriter {
  readonly #chunks: Buffer[] = [];
  readonly #offsets = new Map<number, number>();
  #length = 0;
  #finished = false;

  constructor(version: PdfVersion) {
    // The second line's bytes above 127 tell transfer tools the file is binary (§7.5.2).
    this.#append(Buffer.concat([Buffer.from(`%PDF-${version}\n%`, 'latin1'), Uint8Array.of(0xe2, 0xe3, 0xcf, 0xd3, 0x0a)]));
  }

  /** Writes `N 0 obj <value> endobj`. */
  writeObject(objectNumber: number, value: PdfValue): void {
    this.#begin(objectNumber);
    this.#append(Buffer.from(`${objectNumber} 0 obj\n${serializePdfValue(value)}\nendobj\n`, 'latin1'));
  }

  /** Writes a stream object: `dict` gains `/Length` (the byte count of `data`, already encoded as `dict` says). */
  writeStream(objectNumber: number, dict: PdfDict, data: Uint8Array): void {
    this.#begin(objectNumber);
    const head = `${objectNumber} 0 obj\n${serializePdfValue({ ...dict, Length: data.length })}\nstream\n`;
    this.#append(Buffer.from(head, 'latin1'));
    this.#append(Buffer.from(data));
    this.#append(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  }

  /**
   * Appends the xref table (one subsection, objects 0…N) and the trailer with `/Size N+1` plus `trailer`'s
   * entries, then `startxref` and `%%EOF`; returns the whole file.
   */
  finish(trailer: PdfDict): Buffer {
    if (this.#finished) throw new Error('PdfFileWriter: already finished');
    const size = this.#offsets.size + 1;
    const rows = ['0000000000 65535 f \n'];
    for (let n = 1; n < size; n++) {
      const offset = this.#offsets.get(n);
      if (offset === undefined) throw new Error(`PdfFileWriter: object ${n} was never written (objects must be 1…${size - 1})`);
      rows.push(`${String(offset).padStart(10, '0')} 00000 n \n`);
    }
    const xrefOffset = this.#length;
    const trailerDict = serializePdfValue({ Size: size, ...trailer });
    this.#append(Buffer.from(`xref\n0 ${size}\n${rows.join('')}trailer\n${trailerDict}\nstartxref\n${xrefOffset}\n%%EOF\n`, 'latin1'));
    this.#finished = true;
    return Buffer.concat(this.#chunks, this.#length);
  }

  #begin(objectNumber: number): void {
    if (this.#finished) throw new Error('PdfFileWriter: already finished');
    if (!Number.isSafeInteger(objectNumber) || objectNumber < 1) throw new RangeError(`PdfFileWriter: bad object number ${objectNumber}`);
    if (this.#offsets.has(objectNumber)) throw new Error(`PdfFileWriter: object ${objectNumber} written twice`);
    this.#offsets.set(objectNumber, this.#length);
  }

  #append(bytes: Buffer): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }
}
