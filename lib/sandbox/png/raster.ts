/**
 * An RGB drawing surface in memory: filled rectangles and thick straight lines, clipped to the image.
 *
 * @module
 */
import type { RgbImage } from './encoder.js';

/**
 * A colour as red, green, blue (0–255 each).
 *
 * @example
 * ```ts
 * import type { Rgb } from './raster.js';
 *
 * const ink: Rgb = [30, 40, 70];
 * ```
 */
export type Rgb = readonly [number, number, number];

/**
 * An image being drawn; {@link RgbCanvas.image} hands out its pixels for encoding.
 *
 * @example
 * ```ts
 * import { RgbCanvas } from './raster.js';
 *
 * const canvas = new RgbCanvas(40, 20, [255, 255, 255]);
 * canvas.fillRect(5, 5, 10, 10, [0, 0, 0]).line(0, 0, 39, 19, 1, [200, 0, 0]);
 * canvas.pixel(6, 6); // [0, 0, 0]
 * ```
 */
export class RgbCanvas {
  readonly #pixels: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`RgbCanvas: bad size ${width}×${height}`);
    }
    this.#pixels = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  /** Sets one pixel; points outside the image are ignored. */
  set(x: number, y: number, [r, g, b]: Rgb): this {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return this;
    const at = (Math.floor(y) * this.width + Math.floor(x)) * 3;
    this.#pixels[at] = r;
    this.#pixels[at + 1] = g;
    this.#pixels[at + 2] = b;
    return this;
  }

  /** The colour at (`x`, `y`). */
  pixel(x: number, y: number): Rgb {
    const at = (y * this.width + x) * 3;
    return [this.#pixels[at]!, this.#pixels[at + 1]!, this.#pixels[at + 2]!];
  }

  /** Fills the `w × h` rectangle whose top-left corner is (`x`, `y`). */
  fillRect(x: number, y: number, w: number, h: number, color: Rgb): this {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) this.set(xx, yy, color);
    }
    return this;
  }

  /** A straight line from (`x0`, `y0`) to (`x1`, `y1`), `thickness` pixels wide (Bresenham, square pen). */
  line(fromX: number, fromY: number, toX: number, toY: number, thickness: number, color: Rgb): this {
    if (![fromX, fromY, toX, toY, thickness].every(Number.isFinite)) throw new RangeError('RgbCanvas.line: not a finite number');
    const [x0, y0, x1, y1] = [fromX, fromY, toX, toY].map(Math.round) as [number, number, number, number];
    const [dx, dy] = [Math.abs(x1 - x0), -Math.abs(y1 - y0)];
    const [sx, sy] = [x0 < x1 ? 1 : -1, y0 < y1 ? 1 : -1];
    const half = Math.floor((thickness - 1) / 2);
    let [x, y, err] = [x0, y0, dx + dy];
    for (;;) {
      this.fillRect(x - half, y - half, thickness, thickness, color);
      if (x === x1 && y === y1) return this;
      const e2 = 2 * err;
      if (e2 >= dy) [err, x] = [err + dy, x + sx];
      if (e2 <= dx) [err, y] = [err + dx, y + sy];
    }
  }

  /** The pixels drawn so far (a copy), ready for `encodePng`. */
  image(): RgbImage {
    return { width: this.width, height: this.height, pixels: Uint8Array.from(this.#pixels) };
  }
}
