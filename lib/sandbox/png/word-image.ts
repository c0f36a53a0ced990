/**
 * Pictures of a word for the sandbox's image MFA challenges: our bitmap font, scaled up, in dark ink on a light
 * background crossed by a few pale lines and specks, each letter nudged up or down. A person reads it at once;
 * the same word (and seed) always gives the same picture, and so the same PNG bytes.
 *
 * Errors never repeat the word: it is the challenge's answer, a secret.
 *
 * @module
 */
import { createRng, type Rng } from '../statements/prng.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor } from './bitmap-font.js';
import { encodePng, type RgbImage } from './encoder.js';
import { RgbCanvas, type Rgb } from './raster.js';

/**
 * The longest word an image can show.
 *
 * @example
 * ```ts
 * import { WORD_IMAGE_MAX_LENGTH } from './word-image.js';
 *
 * WORD_IMAGE_MAX_LENGTH; // 24
 * ```
 */
export const WORD_IMAGE_MAX_LENGTH = 24;

/**
 * The default size of one font cell, in pixels: a 7-letter word makes a picture of 188 × 60.
 *
 * @example
 * ```ts
 * import { DEFAULT_WORD_IMAGE_SCALE } from './word-image.js';
 *
 * DEFAULT_WORD_IMAGE_SCALE; // 4
 * ```
 */
export const DEFAULT_WORD_IMAGE_SCALE = 4;

/**
 * How to draw the word.
 *
 * @example
 * ```ts
 * import type { WordImageOptions } from './word-image.js';
 *
 * const big: WordImageOptions = { scale: 8, seed: 'challenge-2' };
 * ```
 */
export interface WordImageOptions {
  /** Pixels per font cell, an integer from 1 to 12 (default {@link DEFAULT_WORD_IMAGE_SCALE}). */
  readonly scale?: number;
  /** Varies the noise and the letters' offsets; the word always shapes the picture too. Default: none. */
  readonly seed?: string;
}

/**
 * Where one letter was drawn: the top-left pixel of its font cell (0, 0); cell (c, r) covers
 * `scale × scale` pixels from (`x + c·scale`, `y + r·scale`).
 *
 * @example
 * ```ts
 * import type { PlacedGlyph } from './word-image.js';
 *
 * const first: PlacedGlyph = { char: 'c', x: 12, y: 10 };
 * ```
 */
export interface PlacedGlyph {
  readonly char: string;
  readonly x: number;
  readonly y: number;
}

/**
 * A drawn word: its pixels, and where each letter went (for specs and for anyone checking the picture).
 *
 * @example
 * ```ts
 * import { drawWordImage, type WordImage } from './word-image.js';
 *
 * const image: WordImage = drawWordImage('correct');
 * image.glyphs.map((g) => g.char).join(''); // 'correct'
 * ```
 */
export interface WordImage extends RgbImage {
  readonly scale: number;
  readonly glyphs: readonly PlacedGlyph[];
}

const WORD = new RegExp(`^[A-Za-z0-9]{1,${WORD_IMAGE_MAX_LENGTH}}$`);

const checkWord = (word: unknown): string => {
  if (typeof word !== 'string' || !WORD.test(word)) {
    const what = typeof word === 'string' ? `${word.length} characters, not all ASCII letters or digits` : typeof word;
    throw new RangeError(`word image: the word must be 1 to ${WORD_IMAGE_MAX_LENGTH} ASCII letters or digits (got ${what})`);
  }
  return word;
};

const checkScale = (scale: number): number => {
  if (!Number.isInteger(scale) || scale < 1 || scale > 12) {
    throw new RangeError(`word image: scale must be an integer from 1 to 12, got ${String(scale)}`);
  }
  return scale;
};

const mix = (a: number, b: number, t: number): number => Math.round(a + (b - a) * t);

/** Pale colours for the noise: every channel from 160 up, so no speck or line is mistaken for ink. */
const pale = (random: Rng): Rgb => [random.int(160, 215), random.int(160, 215), random.int(165, 225)];

/** Dark colours for the ink: every channel at most 80. */
const ink = (random: Rng): Rgb => [random.int(10, 60), random.int(20, 60), random.int(40, 80)];

/**
 * Draws `word` (1–24 ASCII letters or digits) and tells where each letter is. Throws a `RangeError` for any
 * other word or scale, without repeating the word.
 *
 * @example
 * ```ts
 * import { drawWordImage } from './word-image.js';
 *
 * const image = drawWordImage('correct', { scale: 4 });
 * [image.width, image.height]; // [188, 60]
 * ```
 */
export function drawWordImage(word: string, options: WordImageOptions = {}): WordImage {
  const text = checkWord(word);
  const scale = checkScale(options.scale ?? DEFAULT_WORD_IMAGE_SCALE);
  const random = createRng('mx-statements-rx/word-image', options.seed ?? '', text);
  const [marginX, marginY, wobble, advance] = [3 * scale, 2 * scale, scale, (GLYPH_WIDTH + 1) * scale];
  const width = 2 * marginX + text.length * advance - scale;
  const height = 2 * marginY + 2 * wobble + GLYPH_HEIGHT * scale;

  const top: Rgb = [random.int(244, 252), random.int(242, 250), random.int(232, 244)];
  const bottom: Rgb = [random.int(228, 240), random.int(232, 242), random.int(238, 250)];
  const canvas = new RgbCanvas(width, height, top);
  for (let y = 0; y < height; y++) {
    const t = y / Math.max(1, height - 1);
    canvas.fillRect(0, y, width, 1, [mix(top[0], bottom[0], t), mix(top[1], bottom[1], t), mix(top[2], bottom[2], t)]);
  }
  for (let i = Math.round((width * height) / 90); i > 0; i--) {
    const size = random.int(1, Math.max(1, scale >> 1));
    canvas.fillRect(random.int(0, width - 1), random.int(0, height - 1), size, size, pale(random));
  }
  for (let i = random.int(4, 6); i > 0; i--) {
    const [y0, y1] = [random.int(0, height - 1), random.int(0, height - 1)];
    canvas.line(0, y0, width - 1, y1, Math.max(1, scale >> 1), pale(random));
  }

  const glyphs: PlacedGlyph[] = [...text].map((char, i) => ({
    char,
    x: marginX + i * advance,
    y: marginY + wobble + random.int(-wobble, wobble),
  }));
  for (const placed of glyphs) {
    const color = ink(random);
    glyphFor(placed.char).rows.forEach((row, r) =>
      row.forEach((on, c) => {
        if (on) canvas.fillRect(placed.x + c * scale, placed.y + r * scale, scale, scale, color);
      }),
    );
  }
  return { ...canvas.image(), scale, glyphs };
}

/**
 * The PNG bytes of a picture of `word` (see {@link drawWordImage}); deterministic for the same word and options.
 *
 * @example
 * ```ts
 * import { renderWordPng } from './word-image.js';
 *
 * const png = renderWordPng('correct');   // Buffer: 89 50 4E 47 …, about 1–3 KB
 * const imageData = png.toString('base64'); // e.g. an IMAGE_DATA challenge's image_data
 * ```
 */
export function renderWordPng(word: string, options: WordImageOptions = {}): Buffer {
  return encodePng(drawWordImage(word, options));
}

/**
 * The picture of `word` as a `data:image/png;base64,…` URI, e.g. for an image option's `data_uri`.
 *
 * @example
 * ```ts
 * import { wordPngDataUri } from './word-image.js';
 *
 * const uri = wordPngDataUri('correct'); // 'data:image/png;base64,iVBORw0KGgo…'
 * ```
 */
export function wordPngDataUri(word: string, options: WordImageOptions = {}): string {
  return `data:image/png;base64,${renderWordPng(word, options).toString('base64')}`;
}
