import { expect } from 'chai';
import {
  PdfName, PdfRef, PdfString, literalString, pdfNumber, pdfTextString, serializePdfValue, type PdfValue,
} from '../../../lib/sandbox/pdf/objects.js';
import { Lexer, Name, Ref, Str, type Value } from './pdf-reader.js';

/** Parses one serialised value back with the spec's independent reader. */
const reparse = (text: string): Value => {
  const lex = new Lexer(Buffer.from(text, 'latin1'));
  const v = lex.value();
  lex.skipSpace();
  expect(lex.pos, `all of ${JSON.stringify(text)} is one value`).to.equal(text.length);
  return v as Value;
};

describe('sandbox/pdf objects', () => {
  it('writes numbers without exponents, with at most 3 decimals, and refuses non-finite ones', () => {
    expect(pdfNumber(612)).to.equal('612');
    expect(pdfNumber(-0)).to.equal('0');
    expect(pdfNumber(727.64)).to.equal('727.64');
    expect(pdfNumber(0.5)).to.equal('0.5');
    expect(pdfNumber(1 / 3)).to.equal('0.333');
    expect(pdfNumber(-0.0004)).to.equal('0');
    expect(pdfNumber(1e-7)).to.equal('0');
    expect(pdfNumber(123456.78951)).to.equal('123456.79');
    for (const bad of [NaN, Infinity, -Infinity, 1e20]) expect(() => pdfNumber(bad)).to.throw(RangeError);
  });

  it('escapes names outside the regular characters as #xx, and reads back the same name', () => {
    for (const name of ['Type', 'Helvetica-Bold', 'A B', 'a/b(c)', 'x#y', 'per%cent']) {
      const text = serializePdfValue(new PdfName(name));
      expect(text).to.match(/^\/[!-~]+$/);
      expect(text.slice(1)).not.to.match(/[/()<>[\]{}%\s]/);
      const back = reparse(text);
      expect(back).to.be.instanceOf(Name);
      expect((back as Name).name).to.equal(name);
    }
    expect(() => new PdfName('')).to.throw(RangeError);
    expect(() => new PdfName('Ünïcode')).to.throw(RangeError);
  });

  it('writes literal strings as plain ASCII that read back to the same bytes, whatever the bytes', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const bytes of [all, Buffer.from('a(b)c\\d'), Buffer.from(')))((('), new Uint8Array(0)]) {
      const text = literalString(bytes);
      expect(text).to.match(/^\([\x20-\x7e]*\)$/);
      const back = reparse(text);
      expect(back).to.be.instanceOf(Str);
      expect(Buffer.compare((back as Str).bytes, Buffer.from(bytes))).to.equal(0);
    }
    expect(serializePdfValue(new PdfString(Uint8Array.of(0, 0xab, 0xff), true))).to.equal('<00abff>');
  });

  it('keeps ASCII metadata literal and writes other text as UTF-16BE with a byte-order mark', () => {
    expect(serializePdfValue(pdfTextString('MX Bank (US)'))).to.equal('(MX Bank \\(US\\))');
    const unicode = pdfTextString('Crédit Agricole – 銀行 😀');
    expect(unicode.hex).to.equal(true);
    const bytes = Buffer.from(unicode.bytes);
    expect([...bytes.subarray(0, 2)]).to.deep.equal([0xfe, 0xff]);
    expect(Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')).to.equal('Crédit Agricole – 銀行 😀');
  });

  it('serialises arrays, dictionaries and references in order, leaving out undefined entries', () => {
    const value: PdfValue = {
      Type: new PdfName('Page'),
      Parent: new PdfRef(2),
      MediaBox: [0, 0, 612, 792],
      Missing: undefined,
      Nested: { Flag: true, Nothing: null, Empty: {} },
    };
    const text = serializePdfValue(value);
    expect(text).to.equal('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Nested << /Flag true /Nothing null /Empty << >> >> >>');
    const back = reparse(text) as Map<string, Value>;
    expect([...back.keys()]).to.deep.equal(['Type', 'Parent', 'MediaBox', 'Nested']);
    expect(back.get('Parent')).to.deep.equal(new Ref(2, 0));
    expect(back.get('MediaBox')).to.deep.equal([0, 0, 612, 792]);
    expect(() => new PdfRef(0)).to.throw(RangeError);
  });
});
