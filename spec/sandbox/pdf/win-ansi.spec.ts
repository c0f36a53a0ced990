import { expect } from 'chai';
import { PageContent } from '../../../lib/sandbox/pdf/content.js';
import { US_LETTER, buildPdf } from '../../../lib/sandbox/pdf/document.js';
import { WIN_ANSI_HIGH, WIN_ANSI_REPLACEMENT, encodeWinAnsi, winAnsiCode } from '../../../lib/sandbox/pdf/win-ansi.js';
import { popplerWords } from './poppler.js';
import { INSTALL_TIMEOUT_MS, PDFTOTEXT, requireTool } from './tools.js';

const UNASSIGNED = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

describe('sandbox/pdf win-ansi', () => {
  it('is ASCII at 0x20–0x7E and Latin-1 at 0xA0–0xFF, and has no code for controls', () => {
    for (let cp = 0x20; cp <= 0x7e; cp++) expect(winAnsiCode(cp)).to.equal(cp);
    for (let cp = 0xa0; cp <= 0xff; cp++) expect(winAnsiCode(cp)).to.equal(cp);
    for (const cp of [0x00, 0x09, 0x0a, 0x0d, 0x1f, 0x7f, 0x80, 0x85, 0x9f, 0x100, 0xfffd]) {
      expect(winAnsiCode(cp), `U+${cp.toString(16)}`).to.equal(undefined);
    }
  });

  it('places 27 characters at 0x80–0x9F, each at its own code, none at the five unassigned ones', () => {
    const codes = [...WIN_ANSI_HIGH.values()];
    expect(codes).to.have.length(27);
    expect(new Set(codes).size).to.equal(27);
    for (const code of codes) {
      expect(code).to.be.within(0x80, 0x9f);
      expect(UNASSIGNED).not.to.include(code);
    }
    for (const cp of WIN_ANSI_HIGH.keys()) expect(cp).to.be.above(0xff);
  });

  it('encodes one byte per character and writes ? for anything it cannot show', () => {
    expect([...encodeWinAnsi('Aé€—')]).to.deep.equal([0x41, 0xe9, 0x80, 0x97]);
    expect([...encodeWinAnsi('中\t\n😀')]).to.deep.equal(Array(4).fill(WIN_ANSI_REPLACEMENT));
  });

  it('agrees with poppler on every character at 0x80–0x9F (drawn, then extracted by pdftotext)', function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000);
    requireTool(PDFTOTEXT);
    const chars = [...WIN_ANSI_HIGH.keys()].map((cp) => String.fromCodePoint(cp));
    const content = new PageContent();
    chars.forEach((ch, i) => content.text(`x${ch}x`, 50, 750 - i * 14, 'Helvetica', 10));
    const words = popplerWords(buildPdf({ pages: [{ ...US_LETTER, content }], fileId: Buffer.alloc(16) }));
    expect(words.map((w) => w.text)).to.deep.equal(chars.map((ch) => `x${ch}x`));
  });
});
