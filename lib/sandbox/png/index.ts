/**
 * PNG pictures of words for the sandbox's image MFA challenges, drawn with our own bitmap font and encoded by
 * our own PNG encoder (node:zlib for deflate): nothing to install.
 *
 * @example
 * ```ts
 * import { renderWordPng, wordPngDataUri } from './index.js';
 *
 * const imageData = renderWordPng('correct').toString('base64'); // IMAGE_DATA: image_data
 * const dataUri = wordPngDataUri('Correct', { seed: 'option-1' }); // IMAGE_OPTIONS: data_uri
 * ```
 *
 * @module
 */
export {
  DEFAULT_WORD_IMAGE_SCALE,
  WORD_IMAGE_MAX_LENGTH,
  drawWordImage,
  renderWordPng,
  wordPngDataUri,
} from './word-image.js';
export type { PlacedGlyph, WordImage, WordImageOptions } from './word-image.js';
export { PNG_SIGNATURE, encodePng } from './encoder.js';
export type { RgbImage } from './encoder.js';
