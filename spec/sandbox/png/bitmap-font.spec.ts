import { expect } from 'chai';
import { FONT_CHARACTERS, GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor } from '../../../lib/sandbox/png/bitmap-font.js';

const cells = (ch: string): string => glyphFor(ch).rows.map((r) => r.map((on) => (on ? '#' : '.')).join('')).join('\n');
const difference = (a: string, b: string): number => [...cells(a)].filter((c, i) => c !== cells(b)[i]).length;

describe('sandbox/png bitmap font', () => {
  it('has every ASCII letter and digit, each on a 5 × 9 grid, inked and unlike every other', () => {
    expect(FONT_CHARACTERS).to.equal('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    const seen = new Map<string, string>();
    for (const ch of FONT_CHARACTERS) {
      const g = glyphFor(ch);
      expect(g.rows).to.have.length(GLYPH_HEIGHT);
      for (const row of g.rows) expect(row).to.have.length(GLYPH_WIDTH);
      const art = cells(ch);
      expect(art.replace(/[.\n]/g, '').length, ch).to.be.at.least(7);
      expect(seen.get(art), `${ch} looks like ${seen.get(art)}`).to.equal(undefined);
      seen.set(art, ch);
    }
  });

  it('keeps capitals and digits above the baseline and uses rows 7–8 only for descenders', () => {
    for (const ch of FONT_CHARACTERS) {
      const below = glyphFor(ch).rows.slice(7).some((row) => row.some(Boolean));
      expect(below, ch).to.equal('gjpqy'.includes(ch));
    }
    for (const ch of 'acemnorsuvwxz') expect(glyphFor(ch).rows.slice(0, 2).flat().some(Boolean), ch).to.equal(false);
  });

  it('tells look-alikes apart by at least three cells', () => {
    for (const [a, b] of ['Il', 'I1', 'l1', 'O0', 'o0', 'S5', 'Z2', 'B8', 'gq', 'g9', 'q9', 'DO', 'CG', 'uv', 'UV']) {
      expect(difference(a!, b!), `${a} vs ${b}`).to.be.at.least(3);
    }
  });

  it('refuses anything but ASCII letters and digits', () => {
    for (const ch of [' ', '-', 'é', '', 'ab', 'toString', '__proto__']) expect(() => glyphFor(ch), JSON.stringify(ch)).to.throw(RangeError);
  });
});
