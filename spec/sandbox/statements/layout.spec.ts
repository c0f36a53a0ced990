import { expect } from 'chai';
import { textWidth } from '../../../lib/sandbox/pdf/index.js';
import { statementData } from '../../../lib/sandbox/statements/data.js';
import { fitText, layoutStatement } from '../../../lib/sandbox/statements/layout.js';
import { textRuns } from '../pdf/pdf-reader.js';

describe('sandbox/statements layout', () => {
  it('fitText keeps text that fits, shrinks it by half points down to the floor, then shortens it', () => {
    expect(fitText('MX Bank', 'Helvetica-Bold', 20, 300, 12)).to.deep.equal({ text: 'MX Bank', size: 20 });
    const long = 'Acme Federal Credit Union of the West';
    const shrunk = fitText(long, 'Helvetica-Bold', 20, 300, 12);
    expect(shrunk.text).to.equal(long);
    expect(shrunk.size).to.be.below(20).and.at.least(12);
    expect(shrunk.size * 2).to.equal(Math.floor(shrunk.size * 2));
    expect(textWidth(long, 'Helvetica-Bold', shrunk.size)).to.be.at.most(300);
    expect(textWidth(long, 'Helvetica-Bold', shrunk.size + 0.5)).to.be.above(300);
    const cut = fitText(long, 'Helvetica', 9, 60, 9);
    expect(cut.size).to.equal(9);
    expect(cut.text).to.match(/^Acme.*\u2026$/);
    expect(textWidth(cut.text, 'Helvetica', 9)).to.be.at.most(60);
    expect(fitText(long, 'Helvetica', 9, 1, 9)).to.deep.equal({ text: '\u2026', size: 9 });
  });

  it('lays a statement out on US Letter pages, one more page only when the table needs it', () => {
    const all = statementData({ seed: 'layout', memberGuid: 'MBR-layout', institutionName: 'MX Bank', count: 12 });
    for (const s of all) {
      const pages = layoutStatement(s, 'MX Bank');
      const rows = pages.map((p) => textRuns(p.content.bytes()).filter((r) => /^\d{4}-\d\d-\d\d$/.test(r.text)).length);
      expect(rows.reduce((a, b) => a + b)).to.equal(s.transactions.length + 1); // + the opening balance row
      for (const p of pages) expect([p.width, p.height]).to.deep.equal([612, 792]);
      // Every page but the last is full: the next row would not have fitted.
      for (const r of rows.slice(0, -1)) expect(r).to.be.at.least(36);
      expect(pages.length).to.equal(s.transactions.length + 1 <= 36 ? 1 : 2); // 37 rows fit, but then the closing line does not
    }
  });
});
