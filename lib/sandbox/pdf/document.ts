/**
 * Assembles a complete PDF from pages of content: catalog, page tree, fonts, pages with Flate-compressed
 * content streams, the `/Info` dictionary and a trailer `/ID`. Nothing is read from the clock or from disk,
 * so the same input gives the same bytes (with the same zlib).
 *
 * @module
 */
import { deflateSync } from 'node:zlib';
import type { PageContent } from './content.js';
import { PdfFileWriter } from './file-writer.js';
import { STANDARD_FONTS, fontDictionary, type StandardFontName } from './fonts.js';
import { infoDictionary, type PdfInfo } from './info.js';
import { PdfName, PdfRef, PdfString, type PdfDict } from './objects.js';

/**
 * US Letter, in points: 8.5 × 11 inches.
 *
 * @example
 * ```ts
 * import { US_LETTER } from './document.js';
 *
 * US_LETTER.width * US_LETTER.height; // 612 × 792
 * ```
 */
export const US_LETTER = { width: 612, height: 792 } as const;

/**
 * One page: its size in points and what is drawn on it.
 *
 * @example
 * ```ts
 * import { PageContent } from './content.js';
 * import { US_LETTER, type PdfPage } from './document.js';
 *
 * const page: PdfPage = { ...US_LETTER, content: new PageContent().text('Hi', 72, 720, 'Helvetica', 12) };
 * ```
 */
export interface PdfPage {
  readonly width: number;
  readonly height: number;
  readonly content: PageContent;
}

/**
 * Everything {@link buildPdf} needs.
 *
 * @example
 * ```ts
 * import type { PdfDocument, PdfPage } from './document.js';
 * declare const pages: PdfPage[];
 *
 * const doc: PdfDocument = { pages, fileId: new Uint8Array(16), info: { title: 'Statement' } };
 * ```
 */
export interface PdfDocument {
  /** At least one page, in reading order. */
  readonly pages: readonly PdfPage[];
  /** The trailer `/ID` (both halves; PDF 32000-1 §14.4): the same for the same document, e.g. a hash of its key. */
  readonly fileId: Uint8Array;
  readonly info?: PdfInfo;
  /** Compress content streams with Flate (default `true`); `false` is for reading the operators by eye. */
  readonly compress?: boolean;
}

const FONT_ORDER = Object.keys(STANDARD_FONTS) as StandardFontName[];

/**
 * Writes `doc` as a PDF 1.4 file with one classic xref table and trailer at the end, so an incremental update
 * can be appended later.
 *
 * @example
 * ```ts
 * import { PageContent } from './content.js';
 * import { US_LETTER, buildPdf } from './document.js';
 *
 * const content = new PageContent().text('Hello, PDF', 72, 720, 'Helvetica', 12);
 * const pdf = buildPdf({ pages: [{ ...US_LETTER, content }], fileId: Buffer.alloc(16, 1), info: { title: 'Hello' } });
 * pdf.subarray(0, 8).toString('latin1'); // '%PDF-1.4'
 * ```
 */
export function buildPdf(doc: PdfDocument): Buffer {
  if (doc.pages.length === 0) throw new RangeError('buildPdf: a document needs at least one page');
  if (doc.fileId.length === 0) throw new RangeError('buildPdf: fileId must not be empty');
  for (const { width, height } of doc.pages) {
    if (!(Number.isFinite(width) && Number.isFinite(height) && width > 0 && height > 0)) {
      throw new RangeError(`buildPdf: bad page size ${width} × ${height}`);
    }
  }
  const compress = doc.compress ?? true;
  const used = FONT_ORDER.filter((f) => doc.pages.some((p) => p.content.fonts.has(f)));

  // Numbering: 1 catalog, 2 page tree, 3 info, then the fonts, then each page followed by its content stream.
  const CATALOG = 1;
  const PAGES = 2;
  const INFO = 3;
  const fontRef = new Map(used.map((f, i) => [f, new PdfRef(INFO + 1 + i)]));
  const firstPage = INFO + 1 + used.length;
  const pageNumber = (i: number): number => firstPage + 2 * i;

  const file = new PdfFileWriter('1.4');
  file.writeObject(CATALOG, { Type: new PdfName('Catalog'), Pages: new PdfRef(PAGES) });
  file.writeObject(PAGES, {
    Type: new PdfName('Pages'),
    Count: doc.pages.length,
    Kids: doc.pages.map((_, i) => new PdfRef(pageNumber(i))),
  });
  file.writeObject(INFO, infoDictionary(doc.info ?? {}));
  for (const [font, ref] of fontRef) file.writeObject(ref.objectNumber, fontDictionary(font));
  doc.pages.forEach((page, i) => {
    const fonts: Record<string, PdfRef> = {};
    for (const f of used) if (page.content.fonts.has(f)) fonts[STANDARD_FONTS[f].resourceName] = fontRef.get(f)!;
    file.writeObject(pageNumber(i), {
      Type: new PdfName('Page'),
      Parent: new PdfRef(PAGES),
      MediaBox: [0, 0, page.width, page.height],
      Resources: { Font: fonts },
      Contents: new PdfRef(pageNumber(i) + 1),
    });
    const operators = page.content.bytes();
    const streamDict: PdfDict = compress ? { Filter: new PdfName('FlateDecode') } : {};
    file.writeStream(pageNumber(i) + 1, streamDict, compress ? deflateSync(operators, { level: 9 }) : operators);
  });
  const id = new PdfString(doc.fileId, true);
  return file.finish({ Root: new PdfRef(CATALOG), Info: new PdfRef(INFO), ID: [id, id] });
}
