import { expect } from 'chai';
import { textWidth, type StandardFontName } from '../../../lib/sandbox/pdf/index.js';
import { formatMoney, statementData, type StatementData } from '../../../lib/sandbox/statements/index.js';
import { STATEMENT_PDF_PRODUCER, pdfFileId, renderStatementPdf } from '../../../lib/sandbox/statements/render.js';
import { popplerWords } from '../pdf/poppler.js';
import { Name, Str, pages, readPdf, textRuns, type TextRun } from '../pdf/pdf-reader.js';
import { INSTALL_TIMEOUT_MS, PDFTOTEXT, QPDF, pdfToText, qpdfCheck, requireTool } from '../pdf/tools.js';
import { checkPdfStructure } from './helpers.js';

const BANK = 'Acme Test Bank';
const data = statementData({ seed: 'render', memberGuid: 'MBR-render', institutionName: BANK, count: 6 });
const first = (): StatementData => data[0]!;
const money = /^-?\$[\d,]+\.\d\d$/;

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

/** The text runs of every page, fonts resolved to their base font names. */
const pageRuns = (pdf: Buffer): Array<Array<TextRun & { baseFont: StandardFontName }>> =>
  pages(readPdf(pdf)).map((p) =>
    textRuns(p.content).map((r) => ({ ...r, baseFont: (p.fonts.get(r.font)!.get('BaseFont') as Name).name as StandardFontName })),
  );

const rightEdge = (r: TextRun & { baseFont: StandardFontName }): number => r.x + textWidth(r.text, r.baseFont, r.size);

describe('sandbox/statements renderStatementPdf', () => {
  it('renders the same bytes twice, even when the clock differs', async () => {
    const a = await renderStatementPdf(first(), BANK);
    const b = await withShiftedClock(() => renderStatementPdf(first(), BANK));
    expect(new Date().getFullYear()).to.be.below(2050); // the real clock is back
    expect(b.equals(a)).to.equal(true);
  });

  it('pins the dates to the statement and the trailer /ID to the guid; names the bank and our producer', async () => {
    const pdf = readPdf(await renderStatementPdf(first(), BANK));
    const created = first().createdAt; // e.g. 2026-09-01T06:00:00+00:00
    const stamp = `D:${created.slice(0, 4)}${created.slice(5, 7)}${created.slice(8, 10)}060000Z`;
    const info = pdf.dict(pdf.trailer.get('Info'));
    expect((info.get('CreationDate') as Str).latin1).to.equal(stamp);
    expect((info.get('ModDate') as Str).latin1).to.equal(stamp);
    expect((info.get('Author') as Str).latin1).to.equal(BANK);
    expect((info.get('Producer') as Str).latin1).to.equal(STATEMENT_PDF_PRODUCER);
    expect((info.get('Title') as Str).latin1).to.equal(`${first().account.name} statement ${first().period.start} to ${first().period.end}`);
    const id = pdfFileId(first().guid).toString('hex');
    expect((pdf.trailer.get('ID') as Str[]).map((s) => s.bytes.toString('hex'))).to.deep.equal([id, id]);
    expect(pdfFileId(data[1]!.guid).toString('hex')).not.to.equal(id);
  });

  it('differs between statements', async () => {
    const a = await renderStatementPdf(data[0]!, BANK);
    const b = await renderStatementPdf(data[1]!, BANK);
    expect(a.equals(b)).to.equal(false);
  });

  it('produces a structurally valid PDF: header, one xref section, every object where the xref says', async () => {
    for (const s of data) {
      const pdf = await renderStatementPdf(s, BANK);
      expect(pdf.subarray(0, 8).toString('latin1')).to.equal('%PDF-1.4');
      expect(pdf.subarray(-6).toString('latin1')).to.equal('%%EOF\n');
      const structure = checkPdfStructure(pdf);
      expect(structure.sections).to.equal(1);
      expect(structure.objects.size).to.equal(structure.size - 1);
    }
  });

  it('writes every figure and line of the statement, in order, and "Page i of n" on every page', async () => {
    for (const s of data) {
      const runs = pageRuns(await renderStatementPdf(s, BANK));
      const texts = runs.flat().map((r) => r.text);
      const n = runs.length;
      for (const expected of [
        BANK, 'Account Statement', `Statement ID: ${s.guid}`, s.account.name, `Account number: ${s.account.maskedNumber}`,
        `Account ID: ${s.account.guid}`, 'Opening balance', formatMoney(s.openingBalanceCents), 'Deposits and other credits',
        formatMoney(s.totalCreditsCents), 'Withdrawals and other debits', formatMoney(s.totalDebitsCents),
        'Closing balance', formatMoney(s.closingBalanceCents),
      ]) expect(texts, expected).to.include(expected);
      expect(texts.find((t) => t.startsWith('Statement period: '))).to.match(/^Statement period: \w+ \d+, \d{4} through \w+ \d+, \d{4}$/);
      // The table: after the opening row, each transaction's four cells, in order.
      let at = texts.indexOf(formatMoney(s.openingBalanceCents), texts.indexOf('Balance'));
      for (const t of s.transactions) {
        const cells = [t.date, t.description, formatMoney(t.amountCents), formatMoney(t.balanceCents)];
        const next = texts.indexOf(t.date, at + 1);
        expect(next, `${t.date} ${t.description}`).to.be.above(at);
        expect(texts.slice(next, next + 4)).to.deep.equal(cells);
        at = next + 3;
      }
      runs.forEach((page, i) => {
        const footer = page.slice(-2).map((r) => r.text);
        expect(footer).to.deep.equal([
          `${BANK} statement for account ${s.account.maskedNumber}, ${s.period.start} to ${s.period.end}`,
          `Page ${i + 1} of ${n}`,
        ]);
      });
    }
  });

  it('lets the layout decide the pages: long months take two or more, every line stays inside the margins', async () => {
    const counts: number[] = [];
    for (const s of data) {
      const runs = pageRuns(await renderStatementPdf(s, BANK));
      counts.push(runs.length);
      if (s.transactions.length > 40) expect(runs.length, `${s.transactions.length} transactions`).to.be.at.least(2);
      if (s.transactions.length <= 30) expect(runs.length, `${s.transactions.length} transactions`).to.equal(1);
      for (const r of runs.flat()) {
        expect(r.x).to.be.at.least(50);
        expect(rightEdge(r)).to.be.at.most(562.001);
        expect(r.y).to.be.within(30, 742);
      }
    }
    expect(counts.some((n) => n >= 2)).to.equal(true);
  });

  it('right-aligns every amount on its column edge (460 amounts, 562 balances and summary)', async () => {
    for (const s of data) {
      for (const r of pageRuns(await renderStatementPdf(s, BANK)).flat().filter((x) => money.test(x.text))) {
        expect(rightEdge(r), `${r.text} at x=${r.x}`).to.satisfy((edge: number) => Math.abs(edge - 460) < 1e-3 || Math.abs(edge - 562) < 1e-3);
      }
    }
  });

  it('lines amounts up as poppler measures them too, and reads the same text with pdftotext', async function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000);
    requireTool(PDFTOTEXT);
    const s = data.find((x) => x.transactions.length > 40) ?? first();
    const pdf = await renderStatementPdf(s, BANK);
    const amounts = popplerWords(pdf).filter((w) => money.test(w.text));
    expect(amounts.length).to.be.at.least(2 * s.transactions.length);
    for (const w of amounts) {
      expect(w.xMax, `${w.text} ends at ${w.xMax}`).to.satisfy((x: number) => Math.abs(x - 460) < 0.01 || Math.abs(x - 562) < 0.01);
    }
    const { status, stdout } = pdfToText(pdf);
    expect(status).to.equal(0);
    for (const expected of [BANK, s.account.maskedNumber, formatMoney(s.openingBalanceCents), formatMoney(s.closingBalanceCents),
      s.transactions[0]!.description, s.transactions.at(-1)!.description, 'Page 1 of 2', 'Page 2 of 2']) {
      expect(stdout).to.include(expected);
    }
  });

  it('fits a very long, non-Latin institution name without overlap and keeps it whole in the metadata', async function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000);
    requireTool(QPDF);
    const name = 'The First National Bank and Trust Company of the Greater Metropolitan Area – 東京 Branch';
    const [s] = statementData({ seed: 'long', memberGuid: 'MBR-long', institutionName: name, count: 1 });
    const pdf = await renderStatementPdf(s!, name);
    const [page] = pageRuns(pdf);
    const letterhead = page!.find((r) => r.baseFont === 'Helvetica-Bold' && r.y > 700)!;
    const period = page!.find((r) => r.text.startsWith('Statement period'))!;
    expect(rightEdge(letterhead)).to.be.below(period.x);
    expect(letterhead.size).to.be.within(12, 20);
    const footer = page!.at(-2)!;
    expect(rightEdge(footer)).to.be.below(page!.at(-1)!.x);
    const info = readPdf(pdf).dict(readPdf(pdf).trailer.get('Info'));
    const author = (info.get('Author') as Str).bytes;
    expect(Buffer.from(author.subarray(2)).swap16().toString('utf16le')).to.equal(name);
    const check = qpdfCheck(pdf);
    expect(check.status, check.stderr).to.equal(0);
  });

  it('passes qpdf --check without warnings, for every statement', async function () {
    this.timeout(2 * INSTALL_TIMEOUT_MS + 20_000);
    requireTool(QPDF);
    for (const s of data) {
      const check = qpdfCheck(await renderStatementPdf(s, BANK));
      expect(check.status, check.stderr).to.equal(0);
      expect(check.stdout).to.include('No syntax or stream encoding errors');
      expect(`${check.stdout}${check.stderr}`).not.to.match(/WARNING/i);
    }
  });
});
