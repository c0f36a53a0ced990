import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor } from '../../../lib/sandbox/png/bitmap-font.js';
import {
  DEFAULT_WORD_IMAGE_SCALE, WORD_IMAGE_MAX_LENGTH, drawWordImage, renderWordPng, wordPngDataUri,
} from '../../../lib/sandbox/png/index.js';
import { INSTALL_TIMEOUT_MS, requireTool, type DebianTool } from '../pdf/tools.js';
import { decodePng, luminance, rgbAt, type DecodedPng } from './png-decoder.js';

const INK_BELOW = 100;
const PAPER_ABOVE = 150;

/**
 * Checks, on the decoded PNG alone, that every letter of `word` is drawn where `glyphs` says: each inked font
 * cell entirely dark and of one colour, each blank cell entirely light. Returns the number of cells checked.
 */
const expectLetters = (png: DecodedPng, word: string, glyphs: ReadonlyArray<{ char: string; x: number; y: number }>, scale: number): number => {
  expect(glyphs.map((g) => g.char).join('')).to.equal(word);
  let checked = 0;
  for (const g of glyphs) {
    const inkColours = new Set<string>();
    glyphFor(g.char).rows.forEach((row, r) =>
      row.forEach((on, c) => {
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const px = rgbAt(png, g.x + c * scale + dx, g.y + r * scale + dy);
            const where = `${g.char} cell (${c}, ${r})`;
            if (on) {
              expect(luminance(px), where).to.be.below(INK_BELOW);
              inkColours.add(px.join());
            } else expect(luminance(px), where).to.be.above(PAPER_ABOVE);
          }
        }
        checked += 1;
      }),
    );
    expect(inkColours.size, `${g.char} is drawn in one colour`).to.equal(1);
  }
  return checked;
};

describe('sandbox/png word images', () => {
  it('draws each letter of the word where it says, dark on light, in a PNG of the stated size', () => {
    for (const [word, scale] of [['correct', 4], ['Il1O0oQ9gq', 3], ['MXbank2026', 6], ['x', 1], ['WWWWWWWWWWWWWWWWWWWWWWWW', 2]] as const) {
      const drawn = drawWordImage(word, { scale });
      const png = decodePng(renderWordPng(word, { scale }));
      expect([png.width, png.height]).to.deep.equal([drawn.width, drawn.height]);
      for (const c of png.chunks) expect(c.storedCrc, `${word} ${c.type}`).to.equal(c.computedCrc);
      // Letters sit inside the picture with a margin, one advance apart, left to right.
      for (const [i, g] of drawn.glyphs.entries()) {
        expect(g.x).to.be.at.least(scale);
        expect(g.y).to.be.at.least(scale);
        expect(g.x + GLYPH_WIDTH * scale).to.be.at.most(png.width - scale);
        expect(g.y + GLYPH_HEIGHT * scale).to.be.at.most(png.height - scale);
        if (i > 0) expect(g.x - drawn.glyphs[i - 1]!.x).to.equal((GLYPH_WIDTH + 1) * scale);
      }
      expect(expectLetters(png, word, drawn.glyphs, scale)).to.equal(word.length * GLYPH_WIDTH * GLYPH_HEIGHT);
    }
  });

  it('has noise that stays pale: some pixels outside the letters differ from the background, none is ink-dark', () => {
    const drawn = drawWordImage('noise', { scale: 4 });
    const png = decodePng(renderWordPng('noise'));
    const insideLetter = (x: number, y: number): boolean =>
      drawn.glyphs.some((g) => x >= g.x && x < g.x + GLYPH_WIDTH * 4 && y >= g.y && y < g.y + GLYPH_HEIGHT * 4);
    const colours = new Set<string>();
    let darkest = 255;
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) {
        if (insideLetter(x, y)) continue;
        const px = rgbAt(png, x, y);
        colours.add(px.join());
        darkest = Math.min(darkest, luminance(px));
      }
    }
    expect(colours.size).to.be.above(50); // gradient, specks and lines, not a flat background
    expect(darkest).to.be.above(PAPER_ABOVE);
  });

  it('gives the same bytes for the same word and options, and a different picture for another word or seed', () => {
    const a = renderWordPng('correct');
    expect(renderWordPng('correct').equals(a)).to.equal(true);
    expect(renderWordPng('correct', { scale: DEFAULT_WORD_IMAGE_SCALE }).equals(a)).to.equal(true);
    const others = [renderWordPng('corrext'), renderWordPng('Correct'), renderWordPng('correct', { seed: 'other' })];
    const pixels = decodePng(a).pixels;
    for (const other of others) {
      expect(other.equals(a)).to.equal(false);
      const decoded = decodePng(other);
      expect(decoded.pixels.length === pixels.length && decoded.pixels.equals(pixels)).to.equal(false);
    }
  });

  it('gives a data: URI carrying exactly the PNG bytes', () => {
    const uri = wordPngDataUri('Correct', { seed: 's' });
    expect(uri).to.match(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64').equals(renderWordPng('Correct', { seed: 's' }))).to.equal(true);
  });

  it('refuses other words and scales with a RangeError that never repeats the word (it is the answer)', () => {
    const bad = ['', 'two words', 'naïve', 'a'.repeat(WORD_IMAGE_MAX_LENGTH + 1), 'secret-answer', 'x\n'];
    for (const word of bad) {
      expect(() => renderWordPng(word), JSON.stringify(word)).to.throw(RangeError, /1 to 24 ASCII letters or digits/);
      try {
        renderWordPng(word);
      } catch (e) {
        if (word.length > 1) expect((e as Error).message).not.to.include(word);
      }
    }
    expect(() => renderWordPng(42 as unknown as string)).to.throw(RangeError, /got number/);
    for (const scale of [0, 13, 2.5, NaN]) expect(() => renderWordPng('ok', { scale })).to.throw(RangeError, /scale/);
  });

  it('is accepted by a real browser (Chromium loads the data: URI at its size)', function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 60_000);
    const chromium: DebianTool = { command: 'chromium', debPackage: 'chromium' };
    requireTool(chromium);
    const drawn = drawWordImage('Correct');
    const dir = mkdtempSync(join(tmpdir(), 'mx-statements-png-'));
    try {
      const page = join(dir, 'image.html');
      writeFileSync(page, `<!doctype html><body><img id="i" src="${wordPngDataUri('Correct')}"><script>
        const i = document.getElementById('i');
        const done = () => document.body.setAttribute('data-result', i.naturalWidth ? 'loaded ' + i.naturalWidth + 'x' + i.naturalHeight : 'failed');
        if (i.complete) done(); else { i.onload = done; i.onerror = done; }
      </script></body>`);
      const run = spawnSync(chromium.command, [
        '--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${join(dir, 'profile')}`, '--dump-dom', `file://${page}`,
      ], { encoding: 'utf8', timeout: 45_000 });
      expect(run.stdout, run.stderr).to.include(`data-result="loaded ${drawn.width}x${drawn.height}"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
