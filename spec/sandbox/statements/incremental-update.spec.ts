import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { statementData } from '../../../lib/sandbox/statements/index.js';
import { paddedPdf } from '../../../lib/sandbox/statements/incremental-update.js';
import { fillerChunks } from '../../../lib/sandbox/statements/filler.js';
import { renderStatementPdf } from '../../../lib/sandbox/statements/render.js';
import { INSTALL_TIMEOUT_MS, QPDF, qpdfCheck, requireTool, runOnFile } from '../pdf/tools.js';
import { checkPdfStructure } from './helpers.js';

const MiB = 1024 * 1024;
const [sample] = statementData({ seed: 'pad', memberGuid: 'MBR-pad', institutionName: 'MX Bank', count: 1 });

describe('sandbox/statements paddedPdf (incremental update)', () => {
  let base: Buffer;
  before(async () => {
    base = await renderStatementPdf(sample!, 'MX Bank');
  });

  it('yields exactly byteLength bytes, equal to the requested size', () => {
    for (const target of [base.length + 1000, 100_000, 3_000_000, 1_000_000 + 7]) {
      const padded = paddedPdf(base, target, sample!.guid);
      let n = 0;
      for (const chunk of padded.chunks()) n += chunk.length;
      expect(padded.byteLength, `target ${target}`).to.equal(target);
      expect(n).to.equal(padded.byteLength);
    }
    // Below the update's own overhead the size cannot be exact: it is the smallest valid size above it.
    const tight = paddedPdf(base, base.length + 1, sample!.guid);
    expect(tight.fillerBytes).to.equal(0);
    expect(tight.byteLength).to.be.above(base.length + 1);
  });

  it('keeps the original bytes as a prefix and appends a valid update (/Prev, /Size, xref offsets)', () => {
    const padded = paddedPdf(base, 3_000_000, sample!.guid);
    const pdf = Buffer.concat([...padded.chunks()]);
    expect(pdf.subarray(0, base.length).equals(base)).to.equal(true);
    const originalSize = Number(/\/Size (\d+)/.exec(base.toString('latin1'))?.[1]);
    const originalXref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(base.toString('latin1'))?.[1]);
    const tail = pdf.subarray(-600).toString('latin1');
    expect(tail).to.include(`/Prev ${originalXref}\n`);
    expect(tail).to.include(`/Size ${originalSize + 1}\n`);
    expect(tail).to.match(/\/Root \d+ 0 R/);
    expect(tail).to.match(/%%EOF\n$/);
    const structure = checkPdfStructure(pdf);
    expect(structure.sections).to.equal(2);
    expect(structure.size).to.equal(originalSize + 1);
    expect(structure.objects.has(originalSize)).to.equal(true);
    const header = pdf.subarray(base.length, base.length + 64).toString('latin1');
    expect(header.startsWith(`${originalSize} 0 obj\n<<\n/Length ${padded.fillerBytes}\n>>\nstream\n`)).to.equal(true);
  });

  it('replays identical bytes on every iteration and differs per seed', () => {
    const hash = (seed: string): string => {
      const h = createHash('sha256');
      for (const c of paddedPdf(base, 500_000, seed).chunks()) h.update(c);
      return h.digest('hex');
    };
    expect(hash('a')).to.equal(hash('a'));
    expect(hash('a')).not.to.equal(hash('b'));
  });

  it('streams in many chunks of at most 64 KiB (never the whole file)', () => {
    const padded = paddedPdf(base, 8 * MiB, sample!.guid);
    let chunks = 0;
    for (const chunk of padded.chunks()) {
      expect(chunk.length).to.be.at.most(64 * 1024);
      chunks += 1;
    }
    expect(chunks).to.be.at.least(128);
  });

  it('returns the PDF unchanged when it already reaches the requested size', () => {
    const padded = paddedPdf(base, 10, sample!.guid);
    expect(padded.fillerBytes).to.equal(0);
    expect(Buffer.concat([...padded.chunks()]).equals(base)).to.equal(true);
  });

  it('rejects bytes without a classic trailer', () => {
    expect(() => paddedPdf(Buffer.from('%PDF-1.3\nnot really\n%%EOF\n'), 1000, 's')).to.throw(/trailer/);
  });

  it('fills with deterministic bytes of the exact length', () => {
    const a = Buffer.concat([...fillerChunks('x', 70_001, 4096)]);
    expect(a.length).to.equal(70_001);
    expect(Buffer.concat([...fillerChunks('x', 70_001)]).equals(a)).to.equal(true);
    expect(new Set(a.subarray(0, 4096)).size).to.be.above(200); // not a constant pattern
  });

  it('passes qpdf --check at 3 MB, with the update object where the new xref says', function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000);
    requireTool(QPDF);
    const pdf = Buffer.concat([...paddedPdf(base, 3_000_000, sample!.guid).chunks()]);
    expect(checkPdfStructure(pdf).sections).to.equal(2);
    const check = qpdfCheck(pdf);
    expect(check.status, check.stderr).to.equal(0);
    expect(`${check.stdout}${check.stderr}`).not.to.match(/WARNING/i);
    const xref = runOnFile(pdf, 'padded.pdf', QPDF.command, (f) => ['--show-xref', f]);
    expect(xref.stdout).to.match(new RegExp(`^${checkPdfStructure(pdf).size - 1}/0: uncompressed; offset = ${base.length}$`, 'm'));
  });
});
