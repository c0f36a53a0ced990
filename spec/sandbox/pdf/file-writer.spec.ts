import { expect } from 'chai';
import { PdfFileWriter } from '../../../lib/sandbox/pdf/file-writer.js';
import { PdfName, PdfRef, PdfString } from '../../../lib/sandbox/pdf/objects.js';
import { Name, readPdf } from './pdf-reader.js';

const minimal = (): PdfFileWriter => {
  const file = new PdfFileWriter('1.4');
  file.writeObject(1, { Type: new PdfName('Catalog'), Pages: new PdfRef(2) });
  return file;
};

describe('sandbox/pdf PdfFileWriter', () => {
  it('writes a binary-marked header, objects where the xref says, /Size and startxref', () => {
    const file = minimal();
    file.writeStream(3, { Filter: undefined }, Buffer.from('BT ET'));
    file.writeObject(2, { Type: new PdfName('Pages'), Count: 0, Kids: [] });
    const pdf = file.finish({ Root: new PdfRef(1), ID: [new PdfString(Buffer.alloc(16, 0xab), true), new PdfString(Buffer.alloc(16, 0xab), true)] });
    expect(pdf.subarray(0, 9).toString('latin1')).to.equal('%PDF-1.4\n');
    expect(pdf[9]).to.equal(0x25);
    expect([...pdf.subarray(10, 14)].every((b) => b > 127)).to.equal(true);
    const parsed = readPdf(pdf);
    expect(parsed.version).to.equal('1.4');
    expect(parsed.sections).to.have.length(1);
    expect(parsed.trailer.get('Size')).to.equal(4);
    expect([...parsed.offsets.keys()].sort()).to.deep.equal([1, 2, 3]);
    expect((parsed.dict(parsed.trailer.get('Root')).get('Type') as Name).name).to.equal('Catalog');
    const stream = parsed.stream(3);
    expect(stream.decoded.toString('latin1')).to.equal('BT ET');
    expect(stream.dict.get('Length')).to.equal(5);
    expect(pdf.toString('latin1')).to.match(/\nxref\n0 4\n0000000000 65535 f \n(\d{10} 00000 n \n){3}trailer\n<< \/Size 4 \/Root 1 0 R \/ID \[<(ab){16}> <(ab){16}>\] >>\nstartxref\n\d+\n%%EOF\n$/);
  });

  it('refuses a gap in the numbering, a number written twice, and writing after finish', () => {
    const gap = minimal();
    gap.writeObject(3, null);
    expect(() => gap.finish({ Root: new PdfRef(1) })).to.throw(/object 2 was never written/);
    const twice = minimal();
    expect(() => twice.writeObject(1, null)).to.throw(/written twice/);
    expect(() => twice.writeObject(0, null)).to.throw(RangeError);
    twice.finish({ Root: new PdfRef(1) });
    expect(() => twice.writeObject(2, null)).to.throw(/finished/);
    expect(() => twice.finish({})).to.throw(/finished/);
  });
});
