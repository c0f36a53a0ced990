import { expect } from 'chai';
import { RgbCanvas, type Rgb } from '../../../lib/sandbox/png/raster.js';

const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];
const inked = (canvas: RgbCanvas): string[] => {
  const out: string[] = [];
  for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) if (canvas.pixel(x, y)[0] === 0) out.push(`${x},${y}`);
  return out;
};

describe('sandbox/png RgbCanvas', () => {
  it('fills rectangles clipped to the image', () => {
    const canvas = new RgbCanvas(4, 3, WHITE).fillRect(2, 1, 5, 5, BLACK).fillRect(-3, -3, 4, 4, BLACK);
    expect(inked(canvas)).to.deep.equal(['0,0', '2,1', '3,1', '2,2', '3,2']);
    expect(canvas.image().pixels).to.have.length(4 * 3 * 3);
  });

  it('draws lines through both end points, one pixel per step, or thicker with a square pen', () => {
    expect(inked(new RgbCanvas(5, 5, WHITE).line(0, 0, 4, 4, 1, BLACK))).to.deep.equal(['0,0', '1,1', '2,2', '3,3', '4,4']);
    expect(inked(new RgbCanvas(5, 3, WHITE).line(4, 1, 0, 1, 1, BLACK))).to.deep.equal(['0,1', '1,1', '2,1', '3,1', '4,1']);
    const steep = inked(new RgbCanvas(3, 7, WHITE).line(0, 0, 2, 6, 1, BLACK));
    expect(steep).to.have.length(7);
    expect(steep[0]).to.equal('0,0');
    expect(steep.at(-1)).to.equal('2,6');
    expect(inked(new RgbCanvas(5, 5, WHITE).line(1, 2, 3, 2, 3, BLACK))).to.have.length(15);
    expect(inked(new RgbCanvas(5, 5, WHITE).line(1.4, 2.6, 3.2, 2.6, 1, BLACK))).to.deep.equal(['1,3', '2,3', '3,3']);
  });

  it('refuses sizes and coordinates it cannot draw', () => {
    expect(() => new RgbCanvas(0, 5, WHITE)).to.throw(RangeError);
    expect(() => new RgbCanvas(2.5, 5, WHITE)).to.throw(RangeError);
    expect(() => new RgbCanvas(5, 5, WHITE).line(0, 0, NaN, 1, 1, BLACK)).to.throw(RangeError);
  });
});
