import { expect } from 'chai';
import { infoDictionary, pdfDate } from '../../../lib/sandbox/pdf/info.js';
import { serializePdfValue } from '../../../lib/sandbox/pdf/objects.js';

describe('sandbox/pdf info', () => {
  it('writes dates in UTC as D:YYYYMMDDHHmmSSZ, whatever the offset they were given with', () => {
    expect(pdfDate(new Date('2026-11-01T06:00:00+00:00'))).to.equal('D:20261101060000Z');
    expect(pdfDate(new Date('2026-01-01T01:02:03+05:00'))).to.equal('D:20251231200203Z');
    expect(() => pdfDate(new Date('not a date'))).to.throw(RangeError, /invalid/);
    expect(() => pdfDate(new Date(Date.UTC(10000, 0, 1)))).to.throw(RangeError, /year/);
  });

  it('keeps only the entries given, as text strings and dates', () => {
    const created = new Date('2026-12-01T06:00:00Z');
    expect(serializePdfValue(infoDictionary({}))).to.equal('<< >>');
    expect(serializePdfValue(infoDictionary({ title: 'T', producer: 'P', creationDate: created, modDate: created }))).to.equal(
      '<< /Title (T) /Producer (P) /CreationDate (D:20261201060000Z) /ModDate (D:20261201060000Z) >>',
    );
    expect(serializePdfValue(infoDictionary({ author: 'Banque Société' }))).to.match(/^<< \/Author <feff[0-9a-f]+> >>$/);
  });
});
