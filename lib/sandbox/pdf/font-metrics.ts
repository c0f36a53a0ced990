/**
 * Glyph metrics of the two standard Type 1 fonts we write with, Helvetica and Helvetica-Bold, as data.
 *
 * Source: Adobe's Core14 AFM files `Helvetica.afm` and `Helvetica-Bold.afm` (Adobe Font Metrics 4.1, font
 * version 002.000, 1997; Adobe lets them be used, copied and distributed for any purpose). Each number is the
 * `WX` (advance width, in 1/1000 em) of the glyph that WinAnsiEncoding (PDF 32000-1:2008, Annex D.2) assigns to
 * the code, in rows of 16 codes from 0x20 to 0xFF; 0 marks the codes WinAnsi leaves unassigned (0x7F, 0x81,
 * 0x8D, 0x8F, 0x90, 0x9D), which we never write. `Ascender`/`Descender` come from the same files. Every PDF
 * reader carries these metrics for the standard fonts, so text measured with them lines up on screen.
 *
 * @module
 */

/**
 * The metrics of one font: advance widths by WinAnsi code, and the vertical extents, all in 1/1000 em.
 *
 * @example
 * ```ts
 * import { HELVETICA_METRICS, type FontMetrics } from './font-metrics.js';
 *
 * const m: FontMetrics = HELVETICA_METRICS;
 * m.widths[0x57 - m.firstCode]; // 944, the width of 'W'
 * ```
 */
export interface FontMetrics {
  /** The code of `widths[0]`: 0x20 (space). */
  readonly firstCode: number;
  /** Advance widths of codes `firstCode`…0xFF. */
  readonly widths: readonly number[];
  /** Height of the tallest ascender above the baseline (AFM `Ascender`). */
  readonly ascender: number;
  /** Depth of the lowest descender below the baseline, negative (AFM `Descender`). */
  readonly descender: number;
}

/**
 * Helvetica (regular), from Adobe's `Helvetica.afm`.
 *
 * @example
 * ```ts
 * import { HELVETICA_METRICS } from './font-metrics.js';
 *
 * HELVETICA_METRICS.widths['0'.charCodeAt(0) - 0x20]; // 556: every digit is 556 wide
 * ```
 */
export const HELVETICA_METRICS: FontMetrics = {
  firstCode: 0x20,
  ascender: 718,
  descender: -207,
  widths: [
    /* 0x20 */ 278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    /* 0x30 */ 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    /* 0x40 */ 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    /* 0x50 */ 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    /* 0x60 */ 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    /* 0x70 */ 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    /* 0x80 */ 556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    /* 0x90 */ 0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    /* 0xA0 */ 278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    /* 0xB0 */ 400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    /* 0xC0 */ 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    /* 0xD0 */ 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    /* 0xE0 */ 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    /* 0xF0 */ 556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
  ],
};

/**
 * Helvetica-Bold, from Adobe's `Helvetica-Bold.afm`.
 *
 * @example
 * ```ts
 * import { HELVETICA_BOLD_METRICS } from './font-metrics.js';
 *
 * HELVETICA_BOLD_METRICS.widths['a'.charCodeAt(0) - 0x20]; // 556 (611 for 'b')
 * ```
 */
export const HELVETICA_BOLD_METRICS: FontMetrics = {
  firstCode: 0x20,
  ascender: 718,
  descender: -207,
  widths: [
    /* 0x20 */ 278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    /* 0x30 */ 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    /* 0x40 */ 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    /* 0x50 */ 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    /* 0x60 */ 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    /* 0x70 */ 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    /* 0x80 */ 556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    /* 0x90 */ 0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    /* 0xA0 */ 278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    /* 0xB0 */ 400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    /* 0xC0 */ 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    /* 0xD0 */ 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    /* 0xE0 */ 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    /* 0xF0 */ 611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
  ],
};
