import { expect } from 'chai';
import { PageContent } from '../../../lib/sandbox/pdf/content.js';
import { US_LETTER, buildPdf, type PdfDocument } from '../../../lib/sandbox/pdf/document.js';
import { Name, Ref, Str, pages, readPdf, textRuns } from './pdf-reader.js';
import { INSTALL_TIMEOUT_MS, PDFTOTEXT, QPDF, pdfToText, qpdfCheck, requireTool } from './tools.js';

const sample = (overrides: Partial<PdfDocument> = {}): PdfDocument => ({
  pages: [
    { ...US_LETTER, content: new PageContent().text('First page', 72, 720, 'Helvetica-Bold', 14).line(72, 710, 540, 710, { width: 0.5, gray: 0.5 }) },
    { width: 300, height: 200, content: new PageContent().text('Second page', 20, 100, 'Helvetica', 9) },
    { ...US_LETTER, content: new PageContent() },
  ],
  fileId: Buffer.alloc(16, 0x5a),
  info: { title: 'Sample', author: 'Tëst Bank', creationDate: new Date('2026-11-01T06:00:00Z') },
  ...overrides,
});

describe('sandbox/pdf buildPdf', () => {
  it('builds a catalog, a page tree and pages with their sizes, fonts and compressed content', () => {
    const pdf = readPdf(buildPdf(sample()));
    const list = pages(pdf);
    expect(list).to.have.length(3);
    const root = pdf.dict(pdf.trailer.get('Root'));
    expect((root.get('Type') as Name).name).to.equal('Catalog');
    const tree = pdf.dict(root.get('Pages'));
    expect(tree.get('Count')).to.equal(3);
    expect(list.map((p) => p.dict.get('MediaBox'))).to.deep.equal([[0, 0, 612, 792], [0, 0, 300, 200], [0, 0, 612, 792]]);
    for (const p of list) expect((p.dict.get('Parent') as Ref).num).to.equal((root.get('Pages') as Ref).num);
    expect([...list[0]!.fonts.keys()]).to.deep.equal(['F2']);
    expect((list[0]!.fonts.get('F2')!.get('BaseFont') as Name).name).to.equal('Helvetica-Bold');
    expect([...list[1]!.fonts.keys()]).to.deep.equal(['F1']);
    expect([...list[2]!.fonts.keys()]).to.deep.equal([]);
    expect(textRuns(list[0]!.content).map((r) => r.text)).to.deep.equal(['First page']);
    expect(textRuns(list[1]!.content)).to.deep.equal([{ font: 'F1', size: 9, x: 20, y: 100, text: 'Second page' }]);
    const contents = (list[0]!.dict.get('Contents') as Ref).num;
    expect((pdf.stream(contents).dict.get('Filter') as Name).name).to.equal('FlateDecode');
  });

  it('writes the metadata and the same /ID twice, and nothing from the clock: same input, same bytes', () => {
    const a = buildPdf(sample());
    const b = buildPdf(sample());
    expect(a.equals(b)).to.equal(true);
    const pdf = readPdf(a);
    const id = pdf.trailer.get('ID') as Str[];
    expect(id.map((s) => s.bytes.toString('hex'))).to.deep.equal(['5a'.repeat(16), '5a'.repeat(16)]);
    const info = pdf.dict(pdf.trailer.get('Info'));
    expect((info.get('Title') as Str).latin1).to.equal('Sample');
    expect((info.get('CreationDate') as Str).latin1).to.equal('D:20261101060000Z');
    expect(buildPdf(sample({ fileId: Buffer.alloc(16, 1) })).equals(a)).to.equal(false);
  });

  it('can leave content uncompressed, to read by eye', () => {
    const plain = readPdf(buildPdf(sample({ compress: false })));
    const first = pages(plain)[0]!;
    const stream = plain.stream((first.dict.get('Contents') as Ref).num);
    expect(stream.dict.has('Filter')).to.equal(false);
    expect(stream.raw.toString('latin1')).to.include('(First page) Tj');
  });

  it('refuses a document without pages, an empty /ID and impossible page sizes', () => {
    expect(() => buildPdf(sample({ pages: [] }))).to.throw(RangeError, /at least one page/);
    expect(() => buildPdf(sample({ fileId: new Uint8Array(0) }))).to.throw(RangeError, /fileId/);
    expect(() => buildPdf(sample({ pages: [{ width: 0, height: 10, content: new PageContent() }] }))).to.throw(RangeError, /page size/);
  });

  it('passes qpdf --check without warnings, and pdftotext reads every page and the metadata', function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000);
    requireTool(QPDF);
    requireTool(PDFTOTEXT);
    const pdf = buildPdf(sample());
    const check = qpdfCheck(pdf);
    expect(check.status, check.stderr).to.equal(0);
    expect(check.stdout).to.include('No syntax or stream encoding errors');
    expect(`${check.stdout}${check.stderr}`).not.to.match(/WARNING/i);
    const text = pdfToText(pdf, []);
    expect(text.stdout.split('\f').map((p) => p.trim())).to.deep.equal(['First page', 'Second page', '', '']);
  });
});
