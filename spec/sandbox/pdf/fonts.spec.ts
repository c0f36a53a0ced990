import { expect } from 'chai';
import { PageContent } from '../../../lib/sandbox/pdf/content.js';
import { US_LETTER, buildPdf } from '../../../lib/sandbox/pdf/document.js';
import { STANDARD_FONTS, ascent, fontDictionary, textWidth, type StandardFontName } from '../../../lib/sandbox/pdf/fonts.js';
import { serializePdfValue } from '../../../lib/sandbox/pdf/objects.js';
import { WIN_ANSI_HIGH } from '../../../lib/sandbox/pdf/win-ansi.js';
import { popplerWords } from './poppler.js';
import { INSTALL_TIMEOUT_MS, PDFTOTEXT, requireTool } from './tools.js';

const FONTS = Object.keys(STANDARD_FONTS) as StandardFontName[];
const charOf = new Map([...WIN_ANSI_HIGH].map(([cp, code]) => [code, String.fromCodePoint(cp)]));
/** Every character WinAnsi can show that forms a word (not the two spaces), with its code. */
const SHOWN = Array.from({ length: 0xff - 0x20 }, (_, i) => 0x21 + i)
  .filter((code) => code !== 0xa0 && code !== 0x7f && (code < 0x80 || code > 0x9f || charOf.has(code)))
  .map((code) => ({ code, ch: charOf.get(code) ?? String.fromCharCode(code) }));

describe('sandbox/pdf fonts', () => {
  it('knows the Adobe widths of familiar glyphs, and the same for every digit (so amounts align)', () => {
    const w = (font: StandardFontName, ch: string): number => textWidth(ch, font, 1000);
    expect([w('Helvetica', ' '), w('Helvetica', 'W'), w('Helvetica', 'i'), w('Helvetica', '@')]).to.deep.equal([278, 944, 222, 1015]);
    expect([w('Helvetica-Bold', 'i'), w('Helvetica-Bold', 'm'), w('Helvetica-Bold', '@')]).to.deep.equal([278, 889, 975]);
    for (const font of FONTS) {
      for (const digit of '0123456789') expect(w(font, digit)).to.equal(556);
      expect(w(font, '$')).to.equal(556);
      expect(textWidth('$1,234.56', font, 10)).to.be.closeTo(44.48, 1e-9);
    }
    expect(textWidth('中', 'Helvetica', 10)).to.equal(textWidth('?', 'Helvetica', 10));
    expect(ascent('Helvetica', 10)).to.be.closeTo(7.18, 1e-9);
  });

  it('names each font as a non-embedded Type 1 font in WinAnsiEncoding', () => {
    expect(serializePdfValue(fontDictionary('Helvetica-Bold'))).to.equal(
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    );
    expect(new Set(FONTS.map((f) => STANDARD_FONTS[f].resourceName)).size).to.equal(FONTS.length);
  });

  for (const font of FONTS) {
    it(`measures every ${font} glyph as poppler does (pdftotext -bbox of each glyph ×10)`, function () {
      this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000);
      requireTool(PDFTOTEXT);
      const perPage = 60;
      const pages: PageContent[] = [];
      SHOWN.forEach(({ ch }, i) => {
        if (i % perPage === 0) pages.push(new PageContent());
        pages.at(-1)!.text(ch.repeat(10), 50, 750 - (i % perPage) * 12, font, 10);
      });
      const words = popplerWords(buildPdf({ pages: pages.map((content) => ({ ...US_LETTER, content })), fileId: Buffer.alloc(16) }));
      expect(words).to.have.length(SHOWN.length);
      SHOWN.forEach(({ code, ch }, i) => {
        const word = words[i]!;
        const label = `${font} ${JSON.stringify(ch)} (0x${code.toString(16)})`;
        expect(word.xMin, label).to.be.closeTo(50, 0.01);
        expect(word.xMax - word.xMin, label).to.be.closeTo(textWidth(ch.repeat(10), font, 10), 0.01);
      });
    });
  }
});
