/**
 * A small PDF writer on Node built-ins: pages of text in the standard Helvetica fonts and lines, Flate-compressed
 * content streams, a classic xref table and trailer. Enough for the sandbox's statements, and nothing to install.
 *
 * @example
 * ```ts
 * import { PageContent, US_LETTER, buildPdf, textWidth } from './index.js';
 *
 * const content = new PageContent();
 * const amount = '$1,234.56';
 * content.text(amount, 540 - textWidth(amount, 'Helvetica', 9), 700, 'Helvetica', 9); // right-aligned at x = 540
 * const pdf = buildPdf({ pages: [{ ...US_LETTER, content }], fileId: Buffer.alloc(16) });
 * ```
 *
 * @module
 */
export { PageContent } from './content.js';
export type { StrokeStyle } from './content.js';
export { US_LETTER, buildPdf } from './document.js';
export type { PdfDocument, PdfPage } from './document.js';
export { STANDARD_FONTS, ascent, textWidth } from './fonts.js';
export type { StandardFont, StandardFontName } from './fonts.js';
export type { PdfInfo } from './info.js';
export { encodeWinAnsi } from './win-ansi.js';
