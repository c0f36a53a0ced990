import { expect } from 'chai';
import { inflateSync } from 'node:zlib';
import { formatMoney, statementData, type StatementData } from '../../../lib/sandbox/statements/index.js';
import { pdfFileId, renderStatementPdf } from '../../../lib/sandbox/statements/render.js';
import { checkPdfStructure, hasTool, runOnPdf } from './helpers.js';

const data = statementData({ seed: 'render', memberGuid: 'MBR-render', institutionName: 'Acme Test Bank', count: 6 });
const first = (): StatementData => data[0]!;
const latin1 = (b: Buffer): string => b.toString('latin1');
const pageCount = (pdf: Buffer): number => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(latin1(pdf))?.[1] ?? 0);

/** Runs `fn` with a clock shifted ~30 years ahead, so anything reading the clock would change the bytes. */
async function withShiftedClock<T>(fn: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(value?: number | string | Date) {
      super(value ?? RealDate.now() + 1e12);
    }
    static override now(): number {
      return RealDate.now() + 1e12;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  try {
    return await fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

describe('sandbox/statements renderStatementPdf', () => {
  it('renders the same bytes twice, even when the clock differs', async () => {
    const a = await renderStatementPdf(first(), 'Acme Test Bank');
    const b = await withShiftedClock(() => renderStatementPdf(first(), 'Acme Test Bank'));
    expect(new Date().getFullYear()).to.be.below(2050); // the real clock is back
    expect(b.equals(a)).to.equal(true);
  });

  it('pins CreationDate to the statement date and the trailer /ID to the guid', async () => {
    const pdf = latin1(await renderStatementPdf(first(), 'Acme Test Bank'));
    const created = first().createdAt; // e.g. 2026-09-01T06:00:00+00:00
    const stamp = `D:${created.slice(0, 4)}${created.slice(5, 7)}${created.slice(8, 10)}060000Z`;
    expect(pdf).to.include(`(${stamp})`);
    const id = pdfFileId(first().guid).toString('hex');
    expect(pdf).to.include(`/ID [<${id}> <${id}>]`);
    expect(pdfFileId(data[1]!.guid).toString('hex')).not.to.equal(id);
  });

  it('differs between statements', async () => {
    const a = await renderStatementPdf(data[0]!, 'Acme Test Bank');
    const b = await renderStatementPdf(data[1]!, 'Acme Test Bank');
    expect(a.equals(b)).to.equal(false);
  });

  it('produces a structurally valid PDF: header, %%EOF, xref entries pointing at their objects', async () => {
    for (const s of data) {
      const pdf = await renderStatementPdf(s, 'Acme Test Bank');
      expect(latin1(pdf.subarray(0, 5))).to.equal('%PDF-');
      expect(latin1(pdf.subarray(-6))).to.match(/%%EOF\n?$/);
      const structure = checkPdfStructure(pdf);
      expect(structure.sections).to.equal(1);
      expect(structure.objects.size).to.equal(structure.size - 1);
    }
  });

  it('spreads long months over two or more pages and keeps short ones shorter', async () => {
    const pages = await Promise.all(data.map(async (s) => [s.transactions.length, pageCount(await renderStatementPdf(s, 'X'))] as const));
    for (const [txs, n] of pages) {
      expect(n).to.be.at.least(1);
      if (txs > 40) expect(n, `${txs} transactions`).to.be.at.least(2);
    }
    expect(pages.some(([, n]) => n >= 2)).to.equal(true);
  });

  it('writes the institution and balances into the page content', async () => {
    const s = first();
    const pdf = await renderStatementPdf(s, 'Acme Test Bank');
    // Always: metadata names the bank, and every content stream inflates.
    expect(latin1(pdf)).to.match(/\(Acme Test Bank\)/);
    const streams = [...latin1(pdf).matchAll(/\/Filter \/FlateDecode[^]*?stream\n/g)];
    expect(streams.length).to.be.at.least(pageCount(pdf));
    for (const m of streams) {
      const start = (m.index ?? 0) + m[0].length;
      const end = latin1(pdf).indexOf('\nendstream', start);
      expect(inflateSync(pdf.subarray(start, end)).length).to.be.above(0);
    }
    // When poppler is installed: the visible text carries the bank, the period and both balances.
    if (hasTool('pdftotext', '-v')) {
      const { status, stdout } = runOnPdf(pdf, 'pdftotext', (f) => ['-layout', f, '-']);
      expect(status).to.equal(0);
      expect(stdout).to.include('Acme Test Bank');
      expect(stdout).to.include(s.account.maskedNumber);
      expect(stdout).to.include(formatMoney(s.openingBalanceCents));
      expect(stdout).to.include(formatMoney(s.closingBalanceCents));
      expect(stdout).to.include(s.transactions[0]!.description);
    }
  });

  it('passes qpdf --check when qpdf is installed (else the structural check above stands in)', async () => {
    const pdf = await renderStatementPdf(first(), 'Acme Test Bank');
    expect(checkPdfStructure(pdf).sections).to.equal(1);
    if (hasTool('qpdf', '--version')) {
      const { status, stdout, stderr } = runOnPdf(pdf, 'qpdf', (f) => ['--check', f]);
      expect(status, stderr).to.equal(0);
      expect(stdout).to.include('No syntax or stream encoding errors');
      expect(`${stdout}${stderr}`).not.to.match(/WARNING/i);
    }
  });
});
