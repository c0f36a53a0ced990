/**
 * Terminal-safe text: escaping what a server sent, measuring what a terminal shows, wrapping to its width, and
 * shortening guids in the middle. Every human line the CLI prints goes through {@link terminalSafe} before
 * colours are added, so a statement guid, a challenge label or an error message can never move the cursor,
 * set the title, clear the screen, forge a line (CR/LF) or reorder text (bidi overrides).
 *
 * @module
 */

// Controls (C0, DEL, C1), format characters (bidi embeddings/overrides/isolates, LRM/RLM, zero-width
// characters, BOM, soft hyphen, tag characters…), line/paragraph separators and lone surrogates.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

const escapeOne = (ch: string): string => {
  const named = NAMED[ch];
  if (named) return named;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u{${cp.toString(16)}}`;
};

/**
 * `text` with every character a terminal would act on or hide written out as a visible escape: ESC as `\e`,
 * CR/LF/TAB as `\r` `\n` `\t`, other controls (C0, DEL, C1) as `\xNN`, invisible formatting characters (bidi
 * overrides and isolates, zero-width characters, BOM, tag characters) and line separators as `\uNNNN`.
 * Printable text (accents, CJK, emoji) passes unchanged.
 *
 * @example
 * ```ts
 * import { terminalSafe } from './text.js';
 *
 * terminalSafe('STA-1\u001b]0;pwned\u0007'); // 'STA-1\\e]0;pwned\\x07'
 * terminalSafe('abc\u202edcba');              // 'abc\\u202edcba'
 * ```
 */
export const terminalSafe = (text: string): string => text.replace(UNSAFE, escapeOne);

// JSON.stringify escapes C0 controls but leaves C1 controls, DEL, bidi and other format characters and U+2028/9
// raw: a terminal showing the NDJSON (`cat`, `tail -f`) would act on some of them.
const JSON_UNSAFE = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/**
 * `JSON.stringify`'s text with the characters it leaves raw but a terminal may act on (DEL, C1 controls, bidi
 * and other format characters, U+2028/U+2029) written as `\uXXXX` escapes: the same JSON value, safe to `cat`.
 *
 * @example
 * ```ts
 * import { jsonTerminalSafe } from './text.js';
 *
 * jsonTerminalSafe(JSON.stringify({ guid: 'A\u009b2J' })); // '{"guid":"A\\u009b2J"}'
 * ```
 */
export const jsonTerminalSafe = (json: string): string =>
  json.replace(JSON_UNSAFE, (ch) =>
    [...ch].map((c) => {
      const cp = c.codePointAt(0) ?? 0;
      if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
      // An astral format character (tag characters): as its UTF-16 surrogate pair, the way JSON writes it.
      const hi = Math.floor((cp - 0x10000) / 0x400) + 0xd800;
      const lo = ((cp - 0x10000) % 0x400) + 0xdc00;
      return `\\u${hi.toString(16)}\\u${lo.toString(16)}`;
    }).join(''),
  );

// -------------------------------------------------------------------------------------
// width
// -------------------------------------------------------------------------------------

/** The SGR colour sequences the CLI itself adds (server text never contains ESC: it was escaped first). */
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * `text` without the CLI's own colour sequences.
 *
 * @example
 * ```ts
 * import { stripSgr } from './text.js';
 *
 * stripSgr('\u001b[32m✔\u001b[0m done'); // '✔ done'
 * ```
 */
export const stripSgr = (text: string): string => text.replace(SGR, '');

// East Asian Wide and Fullwidth ranges (and emoji presentation blocks): two columns each.
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e],
  [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x18aff],
  [0x1b000, 0x1b2ff], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

const isWide = (cp: number): boolean => {
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE[mid] ?? [0, 0];
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
};

const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]/u;

/**
 * How many columns a terminal uses for one character: 0 (combining marks, variation selectors), 2 (wide
 * CJK, emoji) or 1.
 *
 * @example
 * ```ts
 * import { charWidth } from './text.js';
 *
 * charWidth('界'); // 2
 * ```
 */
export const charWidth = (ch: string): number => {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x300) return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ? 0 : 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  return isWide(cp) ? 2 : 1;
};

/**
 * The columns `text` takes on a terminal (the CLI's colour sequences count for nothing).
 *
 * @example
 * ```ts
 * import { displayWidth } from './text.js';
 *
 * displayWidth('\u001b[32m✔\u001b[0m 日本'); // 6
 * ```
 */
export const displayWidth = (text: string): number => {
  let w = 0;
  for (const ch of stripSgr(text)) w += charWidth(ch);
  return w;
};

// -------------------------------------------------------------------------------------
// wrapping
// -------------------------------------------------------------------------------------

/** Options of {@link wrapLine}. */
export interface WrapOptions {
  /** Prefix of every continuation line (a hanging indent). Default: none. */
  readonly indent?: string;
  /**
   * A word longer than a line: `'keep'` (default) puts it on a line of its own, whole, so the terminal soft-wraps
   * it and copying it gives it back in one piece (a path, a URL); `'break'` cuts it at the width (for the live
   * region, whose rows must be counted exactly).
   */
  readonly longWords?: 'keep' | 'break';
}

const breakWord = (word: string, width: number): string[] => {
  const parts: string[] = [];
  let part = '';
  let w = 0;
  for (const ch of word) {
    const cw = charWidth(ch);
    if (w + cw > width && part !== '') {
      parts.push(part);
      part = '';
      w = 0;
    }
    part += ch;
    w += cw;
  }
  if (part !== '') parts.push(part);
  return parts;
};

/**
 * Wraps one line of text to `width` columns at spaces, with a hanging indent; nothing is ever dropped. The
 * text's own colour sequences are kept (they never split a word). A `width` of 0 or less means "no limit".
 *
 * @example
 * ```ts
 * import { wrapLine } from './text.js';
 *
 * wrapLine('Saved 5.2 KB → statements/MBR-1/STA-1.pdf', 24, { indent: '  ' });
 * // ['Saved 5.2 KB →', '  statements/MBR-1/STA-1.pdf']
 * ```
 */
export const wrapLine = (text: string, width: number, options: WrapOptions = {}): string[] => {
  if (width <= 0 || displayWidth(text) <= width) return [text];
  const indent = options.indent ?? '';
  const indentWidth = displayWidth(indent);
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const flush = () => {
    lines.push(line.replace(/ +$/, ''));
    line = indent;
    lineWidth = indentWidth;
  };
  const words = text.split(/( +)/);
  for (const token of words) {
    if (token === '') continue;
    const w = displayWidth(token);
    if (/^ +$/.test(token)) {
      // Spaces: kept inside a line, dropped at a break.
      if (lineWidth > indentWidth || lines.length === 0) {
        line += token;
        lineWidth += w;
      }
      continue;
    }
    if (lineWidth + w > width && lineWidth > (lines.length === 0 ? 0 : indentWidth)) flush();
    const room = width - lineWidth;
    if (w > room && options.longWords === 'break') {
      for (const [i, piece] of breakWord(token, Math.max(1, room)).entries()) {
        if (i > 0) flush();
        line += piece;
        lineWidth += displayWidth(piece);
      }
      continue;
    }
    line += token;
    lineWidth += w;
  }
  if (line.trim() !== '' || lines.length === 0) lines.push(line.replace(/ +$/, ''));
  return lines;
};

/**
 * How many terminal rows `line` occupies once the terminal soft-wraps it at `columns`.
 *
 * @example
 * ```ts
 * import { rowsOf } from './text.js';
 *
 * rowsOf('x'.repeat(100), 80); // 2
 * ```
 */
export const rowsOf = (line: string, columns: number): number =>
  columns > 0 ? Math.max(1, Math.ceil(displayWidth(line) / columns)) : 1;

// -------------------------------------------------------------------------------------
// guids
// -------------------------------------------------------------------------------------

/**
 * An MX guid shortened in the middle for a narrow screen: its prefix, the first and last `keep` characters of
 * the rest (`MBR-59be…1b71`, `MBR-4663…805e` for `MBR-46637bc5-942d-4229-9370-ddd858bf805e`). Anything that is
 * not a long guid is returned as is.
 *
 * @example
 * ```ts
 * import { shortGuid } from './text.js';
 *
 * shortGuid('MBR-59be1d3c63c09a47ca3d9a1489551b71'); // 'MBR-59be…1b71'
 * shortGuid('MBR-1');                                // 'MBR-1'
 * ```
 */
export const shortGuid = (guid: string, keep = 4): string => {
  const m = /^([A-Z]{2,4}-)([A-Za-z0-9-]+)$/.exec(guid);
  const rest = m?.[2];
  if (!m || rest === undefined || rest.length <= keep * 2 + 3) return guid;
  return `${m[1] ?? ''}${rest.slice(0, keep)}…${rest.slice(-keep)}`;
};

/**
 * Every MX-style guid (`XXX-` + 16 or more letters, digits and dashes) inside `text` shortened with
 * {@link shortGuid}.
 *
 * @example
 * ```ts
 * import { shortGuidsIn } from './text.js';
 *
 * shortGuidsIn('member MBR-59be1d3c63c09a47ca3d9a1489551b71 ended DENIED'); // 'member MBR-59be…1b71 ended DENIED'
 * ```
 */
export const shortGuidsIn = (text: string): string => text.replace(/\b[A-Z]{3}-[A-Za-z0-9-]{15,}[A-Za-z0-9]\b/g, (g) => shortGuid(g));

/**
 * `n` with the noun in the singular or the plural (`1 statement`, `2 statements`).
 *
 * @example
 * ```ts
 * import { plural } from './text.js';
 *
 * plural(2, 'member'); // '2 members'
 * ```
 */
export const plural = (n: number, noun: string, nouns = `${noun}s`): string => `${n} ${n === 1 ? noun : nouns}`;
