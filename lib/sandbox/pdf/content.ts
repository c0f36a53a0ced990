/**
 * A page content stream builder (PDF 32000-1 §8, §9.4): text runs in the standard fonts and straight lines,
 * in PDF user space (origin bottom left, y upwards, units of 1/72 inch).
 *
 * @module
 */
import { STANDARD_FONTS, type StandardFontName } from './fonts.js';
import { literalString, pdfNumber } from './objects.js';
import { encodeWinAnsi } from './win-ansi.js';

/**
 * How a line is stroked: its width in points and its grey level (0 black … 1 white).
 *
 * @example
 * ```ts
 * import type { StrokeStyle } from './content.js';
 *
 * const hairline: StrokeStyle = { width: 0.5, gray: 0.53 };
 * ```
 */
export interface StrokeStyle {
  readonly width: number;
  readonly gray: number;
}

const checkFinite = (what: string, ...values: number[]): void => {
  for (const v of values) if (!Number.isFinite(v)) throw new RangeError(`PageContent.${what}: not a finite number: ${v}`);
};

/**
 * Collects the drawing operators of one page; {@link PageContent.bytes} gives the (uncompressed) stream.
 * Each call is self-contained (`BT … ET` for text, `q … Q` for a line), so the order of calls is the only state.
 *
 * @example
 * ```ts
 * import { PageContent } from './content.js';
 *
 * const page = new PageContent()
 *   .text('Hello', 72, 720, 'Helvetica-Bold', 12)
 *   .line(72, 710, 540, 710, { width: 0.5, gray: 0.5 });
 * page.fonts;                          // Set { 'Helvetica-Bold' }
 * page.bytes().toString('latin1');     // 'BT /F2 12 Tf 72 720 Td (Hello) Tj ET\nq 0.5 w 0.5 G 72 710 m 540 710 l S Q'
 * ```
 */
export class PageContent {
  readonly #operators: string[] = [];
  readonly #fonts = new Set<StandardFontName>();

  /** The fonts this page's text uses (its resources must name them). */
  get fonts(): ReadonlySet<StandardFontName> {
    return this.#fonts;
  }

  /**
   * Draws `text` with its baseline starting at (`x`, `y`). Characters outside WinAnsiEncoding are drawn as `?`.
   */
  text(text: string, x: number, y: number, font: StandardFontName, size: number): this {
    checkFinite('text', x, y, size);
    if (size <= 0) throw new RangeError(`PageContent.text: font size must be positive, got ${size}`);
    const { resourceName } = STANDARD_FONTS[font];
    this.#fonts.add(font);
    this.#operators.push(
      `BT /${resourceName} ${pdfNumber(size)} Tf ${pdfNumber(x)} ${pdfNumber(y)} Td ${literalString(encodeWinAnsi(text))} Tj ET`,
    );
    return this;
  }

  /** Strokes a straight line from (`x1`, `y1`) to (`x2`, `y2`). */
  line(x1: number, y1: number, x2: number, y2: number, style: StrokeStyle): this {
    checkFinite('line', x1, y1, x2, y2, style.width, style.gray);
    if (style.width < 0 || style.gray < 0 || style.gray > 1) {
      throw new RangeError(`PageContent.line: bad stroke ${JSON.stringify(style)}`);
    }
    const [a, b, c, d] = [x1, y1, x2, y2].map(pdfNumber);
    this.#operators.push(`q ${pdfNumber(style.width)} w ${pdfNumber(style.gray)} G ${a} ${b} m ${c} ${d} l S Q`);
    return this;
  }

  /** The content stream: one operator group per line, ASCII only. */
  bytes(): Buffer {
    return Buffer.from(this.#operators.join('\n'), 'latin1');
  }
}
