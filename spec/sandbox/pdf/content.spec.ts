import { expect } from 'chai';
import { PageContent } from '../../../lib/sandbox/pdf/content.js';
import { contentOperations, textRuns } from './pdf-reader.js';

describe('sandbox/pdf PageContent', () => {
  it('writes text runs a reader finds at their baseline, in their font and size', () => {
    const content = new PageContent()
      .text('Opening balance', 50, 700.5, 'Helvetica-Bold', 9)
      .text('Café (draft) \\ 5 €', 72, 100, 'Helvetica', 12.25);
    expect([...content.fonts]).to.deep.equal(['Helvetica-Bold', 'Helvetica']);
    expect(textRuns(content.bytes())).to.deep.equal([
      { font: 'F2', size: 9, x: 50, y: 700.5, text: 'Opening balance' },
      { font: 'F1', size: 12.25, x: 72, y: 100, text: 'Café (draft) \\ 5 \x80' }, // € is WinAnsi 0x80
    ]);
    expect(content.bytes().every((b) => b < 0x80)).to.equal(true); // ASCII operators, escapes for the rest
  });

  it('strokes lines inside q … Q with their own width and grey, leaving no state behind', () => {
    const ops = contentOperations(new PageContent().line(50, 692, 562, 692, { width: 0.5, gray: 0.533 }).bytes());
    expect(ops.map((o) => o.op)).to.deep.equal(['q', 'w', 'G', 'm', 'l', 'S', 'Q']);
    expect(ops[1]!.operands).to.deep.equal([0.5]);
    expect(ops[2]!.operands).to.deep.equal([0.533]);
    expect(ops[3]!.operands).to.deep.equal([50, 692]);
    expect(ops[4]!.operands).to.deep.equal([562, 692]);
  });

  it('refuses coordinates and sizes no PDF can hold', () => {
    const page = new PageContent();
    expect(() => page.text('x', NaN, 0, 'Helvetica', 9)).to.throw(RangeError, /finite/);
    expect(() => page.text('x', 0, 0, 'Helvetica', 0)).to.throw(RangeError, /size/);
    expect(() => page.line(0, 0, Infinity, 0, { width: 1, gray: 0 })).to.throw(RangeError);
    expect(() => page.line(0, 0, 1, 0, { width: 1, gray: 2 })).to.throw(RangeError, /stroke/);
    expect(page.bytes().length).to.equal(0);
  });
});
