import { expect } from 'chai';
import { PNG_SIGNATURE, encodePng, type RgbImage } from '../../../lib/sandbox/png/encoder.js';
import { createRng } from '../../../lib/sandbox/statements/prng.js';
import { drawWordImage } from '../../../lib/sandbox/png/word-image.js';
import { decodePng, pngChunks } from './png-decoder.js';

const image = (width: number, height: number, paint: (x: number, y: number) => [number, number, number]): RgbImage => {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set(paint(x, y), (y * width + x) * 3);
  return { width, height, pixels };
};

describe('sandbox/png encodePng', () => {
  it('writes the signature, IHDR, one IDAT and IEND, every CRC valid', () => {
    const png = encodePng(image(3, 2, (x, y) => [x * 80, y * 120, 7]));
    expect(png.subarray(0, 8).equals(Buffer.from(PNG_SIGNATURE))).to.equal(true);
    const chunks = pngChunks(png);
    expect(chunks.map((c) => c.type)).to.deep.equal(['IHDR', 'IDAT', 'IEND']);
    for (const c of chunks) expect(c.storedCrc, c.type).to.equal(c.computedCrc);
    const ihdr = chunks[0]!.data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ...ihdr.subarray(8)]).to.deep.equal([3, 2, 8, 2, 0, 0, 0]);
  });

  it('round-trips pixels exactly through an independent decoder, whichever filters it picks', () => {
    const random = createRng('encoder');
    const cases: RgbImage[] = [
      image(1, 1, () => [255, 0, 0]),
      image(17, 9, () => [random.int(0, 255), random.int(0, 255), random.int(0, 255)]), // noise
      image(64, 8, (x) => [x * 4, x * 4, 255 - x * 4]), // horizontal ramp: Sub wins
      image(8, 64, (_, y) => [y * 4, 128, y]), // vertical ramp: Up wins
      image(40, 40, (x, y) => [(x * y) & 255, (x + y) * 3 & 255, x ^ y]), // texture: Paeth
      image(48, 48, (x, y) => [(x * 5 + y * 3 + random.int(0, 9)) & 255, (x * 2 + random.int(0, 9)) & 255, (y * 7) & 255]), // grain
      drawWordImage('Il1O0oQ9gq', { scale: 3 }),
    ];
    const used = new Set<number>();
    for (const img of cases) {
      const decoded = decodePng(encodePng(img));
      expect([decoded.width, decoded.height]).to.deep.equal([img.width, img.height]);
      expect(Buffer.compare(decoded.pixels, Buffer.from(img.pixels))).to.equal(0);
      decoded.filters.forEach((f) => used.add(f));
    }
    expect([...used].sort(), 'every filter type is exercised').to.deep.equal([0, 1, 2, 3, 4]);
  });

  it('is deterministic and refuses sizes and pixel buffers that do not match', () => {
    const img = image(5, 5, (x, y) => [x * 50, y * 50, 0]);
    expect(encodePng(img).equals(encodePng(img))).to.equal(true);
    expect(() => encodePng({ width: 0, height: 1, pixels: new Uint8Array(0) })).to.throw(RangeError, /width/);
    expect(() => encodePng({ width: 1.5, height: 1, pixels: new Uint8Array(3) })).to.throw(RangeError, /width/);
    expect(() => encodePng({ width: 1, height: 20_000, pixels: new Uint8Array(60_000) })).to.throw(RangeError, /height/);
    expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(11) })).to.throw(RangeError, /12 pixel bytes/);
  });
});
