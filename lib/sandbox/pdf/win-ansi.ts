/**
 * WinAnsiEncoding (PDF 32000-1:2008, Annex D.2): the one-byte encoding our standard-font text is written in.
 *
 * Codes 0x20–0x7E are ASCII and 0xA0–0xFF are Latin-1 (0xA0 draws a space, 0xAD a hyphen); 0x80–0x9F hold the
 * 27 characters listed in {@link WIN_ANSI_HIGH}. Anything else has no glyph in the standard fonts and is written
 * as {@link WIN_ANSI_REPLACEMENT} (`?`), so odd input never produces an invalid or unreadable PDF.
 *
 * @module
 */

/**
 * The byte written for a character WinAnsiEncoding cannot show: `?` (0x3F).
 *
 * @example
 * ```ts
 * import { WIN_ANSI_REPLACEMENT, encodeWinAnsi } from './win-ansi.js';
 *
 * encodeWinAnsi('✓')[0] === WIN_ANSI_REPLACEMENT; // true
 * ```
 */
export const WIN_ANSI_REPLACEMENT = 0x3f;

/**
 * The characters WinAnsiEncoding places at 0x80–0x9F (Annex D.2), by Unicode code point; 0x81, 0x8D, 0x8F, 0x90
 * and 0x9D are unassigned.
 *
 * @example
 * ```ts
 * import { WIN_ANSI_HIGH } from './win-ansi.js';
 *
 * WIN_ANSI_HIGH.get(0x20ac); // 0x80 (the euro sign)
 * ```
 */
export const WIN_ANSI_HIGH: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87],
  [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91],
  [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98],
  [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b], [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

/**
 * The WinAnsi code of one Unicode code point, or `undefined` when the encoding has no such character.
 * Control characters (tabs and line breaks included) have none.
 *
 * @example
 * ```ts
 * import { winAnsiCode } from './win-ansi.js';
 *
 * winAnsiCode('é'.codePointAt(0)!); // 0xE9
 * winAnsiCode(0x2014);              // 0x97 (em dash)
 * winAnsiCode(0x4e2d);              // undefined
 * ```
 */
export function winAnsiCode(codePoint: number): number | undefined {
  if ((codePoint >= 0x20 && codePoint <= 0x7e) || (codePoint >= 0xa0 && codePoint <= 0xff)) return codePoint;
  return WIN_ANSI_HIGH.get(codePoint);
}

/**
 * Encodes text as WinAnsi bytes, one per character; characters without a code become `?`.
 *
 * @example
 * ```ts
 * import { encodeWinAnsi } from './win-ansi.js';
 *
 * Buffer.from(encodeWinAnsi('Café – 5 €')).toString('hex'); // '436166e9209620352080' (é = e9, – = 96, € = 80)
 * ```
 */
export function encodeWinAnsi(text: string): Uint8Array {
  const codes: number[] = [];
  for (const ch of text) codes.push(winAnsiCode(ch.codePointAt(0) ?? 0) ?? WIN_ANSI_REPLACEMENT);
  return Uint8Array.from(codes);
}
