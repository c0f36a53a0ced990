/**
 * The standard fonts our PDFs use (Helvetica, Helvetica-Bold): their resource names, their font dictionaries
 * (Type 1, not embedded, WinAnsiEncoding) and text measurement with their metrics.
 *
 * @module
 */
import { HELVETICA_BOLD_METRICS, HELVETICA_METRICS, type FontMetrics } from './font-metrics.js';
import { PdfName, type PdfDict } from './objects.js';
import { encodeWinAnsi } from './win-ansi.js';

/**
 * The standard Type 1 fonts a page can use.
 *
 * @example
 * ```ts
 * import type { StandardFontName } from './fonts.js';
 *
 * const bold: StandardFontName = 'Helvetica-Bold';
 * ```
 */
export type StandardFontName = 'Helvetica' | 'Helvetica-Bold';

/**
 * One standard font: the name pages refer to it by (`/F1`) and its metrics.
 *
 * @example
 * ```ts
 * import { STANDARD_FONTS, type StandardFont } from './fonts.js';
 *
 * const f: StandardFont = STANDARD_FONTS.Helvetica; // { resourceName: 'F1', metrics: … }
 * ```
 */
export interface StandardFont {
  readonly resourceName: string;
  readonly metrics: FontMetrics;
}

/**
 * The fonts by name, in the order a document lists them.
 *
 * @example
 * ```ts
 * import { STANDARD_FONTS } from './fonts.js';
 *
 * STANDARD_FONTS['Helvetica-Bold'].resourceName; // 'F2'
 * ```
 */
export const STANDARD_FONTS: Readonly<Record<StandardFontName, StandardFont>> = {
  Helvetica: { resourceName: 'F1', metrics: HELVETICA_METRICS },
  'Helvetica-Bold': { resourceName: 'F2', metrics: HELVETICA_BOLD_METRICS },
};

/**
 * The width of `text` set in `font` at `size` points, in points (no kerning, as the PDF draws it).
 * Characters outside WinAnsiEncoding are measured as the `?` they are written as.
 *
 * @example
 * ```ts
 * import { textWidth } from './fonts.js';
 *
 * textWidth('$1,234.56', 'Helvetica', 10); // 44.48: digits and $ are 5.56 wide, comma and point 2.78
 * ```
 */
export function textWidth(text: string, font: StandardFontName, size: number): number {
  const { metrics } = STANDARD_FONTS[font];
  let units = 0;
  for (const code of encodeWinAnsi(text)) units += metrics.widths[code - metrics.firstCode] ?? 0;
  return (units * size) / 1000;
}

/**
 * The distance from the top of a line of `font` at `size` to its baseline (the font's ascender), in points.
 *
 * @example
 * ```ts
 * import { ascent } from './fonts.js';
 *
 * ascent('Helvetica', 10); // 7.18
 * ```
 */
export function ascent(font: StandardFontName, size: number): number {
  return (STANDARD_FONTS[font].metrics.ascender * size) / 1000;
}

/**
 * The font dictionary of a standard font: Type 1, not embedded, WinAnsiEncoding (PDF 32000-1 §9.6.2.2).
 *
 * @example
 * ```ts
 * import { fontDictionary } from './fonts.js';
 * import { serializePdfValue } from './objects.js';
 *
 * serializePdfValue(fontDictionary('Helvetica'));
 * // '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'
 * ```
 */
export function fontDictionary(font: StandardFontName): PdfDict {
  return {
    Type: new PdfName('Font'),
    Subtype: new PdfName('Type1'),
    BaseFont: new PdfName(font),
    Encoding: new PdfName('WinAnsiEncoding'),
  };
}
