/**
 * Draws one statement onto a pdfkit document: letterhead, account box, summary, transaction pages, footers.
 *
 * Text is placed with `lineBreak: false` at computed positions, so pdfkit never adds pages on its own: page
 * breaks are decided here, which keeps the page count a pure function of the data.
 *
 * @module
 */
import type PDFKitDocument from 'pdfkit';
import type { StatementData } from './data.js';
import { formatMoney } from './money.js';
import { parseDay } from './periods.js';

type Doc = typeof PDFKitDocument;
type Align = 'left' | 'right';

const MARGIN = 50;
const ROW = 14;
const COLUMNS = { date: 50, description: 120, amount: 460, balance: 562 } as const; // amount/balance: right edges
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'] as const;

const longDate = (day: string): string => {
  const d = parseDay(day);
  return `${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
};

const put = (
  doc: Doc, text: string, x: number, y: number, align: Align = 'left', font = 'Helvetica', size = 9,
): void => {
  doc.font(font).fontSize(size);
  const left = align === 'right' ? x - doc.widthOfString(text) : x;
  doc.text(text, left, y, { lineBreak: false });
};

const rule = (doc: Doc, y: number): void => {
  doc.moveTo(MARGIN, y).lineTo(doc.page.width - MARGIN, y).lineWidth(0.5).strokeColor('#888888').stroke();
};

const letterhead = (doc: Doc, s: StatementData, institutionName: string): number => {
  put(doc, institutionName, MARGIN, 50, 'left', 'Helvetica-Bold', 20);
  put(doc, 'Account Statement', MARGIN, 76, 'left', 'Helvetica', 12);
  const right = doc.page.width - MARGIN;
  put(doc, `Statement period: ${longDate(s.period.start)} through ${longDate(s.period.end)}`, right, 54, 'right');
  put(doc, `Statement ID: ${s.guid}`, right, 68, 'right', 'Helvetica', 7);
  rule(doc, 100);
  put(doc, s.account.name, MARGIN, 112, 'left', 'Helvetica-Bold', 12);
  put(doc, `Account number: ${s.account.maskedNumber}`, MARGIN, 130);
  put(doc, `Account ID: ${s.account.guid}`, MARGIN, 143, 'left', 'Helvetica', 7);
  const summary: ReadonlyArray<readonly [string, number]> = [
    ['Opening balance', s.openingBalanceCents],
    ['Deposits and other credits', s.totalCreditsCents],
    ['Withdrawals and other debits', s.totalDebitsCents],
    ['Closing balance', s.closingBalanceCents],
  ];
  summary.forEach(([label, cents], i) => {
    const bold = i === 0 || i === summary.length - 1 ? 'Helvetica-Bold' : 'Helvetica';
    put(doc, label, 330, 112 + i * 14, 'left', bold, 9);
    put(doc, formatMoney(cents), right, 112 + i * 14, 'right', bold, 9);
  });
  rule(doc, 176);
  put(doc, 'Transactions', MARGIN, 186, 'left', 'Helvetica-Bold', 12);
  return 206;
};

const tableHeader = (doc: Doc, y: number): number => {
  put(doc, 'Date', COLUMNS.date, y, 'left', 'Helvetica-Bold');
  put(doc, 'Description', COLUMNS.description, y, 'left', 'Helvetica-Bold');
  put(doc, 'Amount', COLUMNS.amount, y, 'right', 'Helvetica-Bold');
  put(doc, 'Balance', COLUMNS.balance, y, 'right', 'Helvetica-Bold');
  rule(doc, y + 12);
  return y + ROW + 4;
};

const row = (doc: Doc, y: number, date: string, description: string, amount: string, balance: string): void => {
  put(doc, date, COLUMNS.date, y);
  put(doc, description, COLUMNS.description, y);
  put(doc, amount, COLUMNS.amount, y, 'right');
  put(doc, balance, COLUMNS.balance, y, 'right');
};

const footers = (doc: Doc, s: StatementData, institutionName: string): void => {
  const { start, count } = doc.bufferedPageRange();
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i);
    const y = doc.page.height - 36;
    const about = `${institutionName} statement for account ${s.account.maskedNumber}, ${s.period.start} to ${s.period.end}`;
    put(doc, about, MARGIN, y, 'left', 'Helvetica', 7);
    put(doc, `Page ${i + 1} of ${count}`, doc.page.width - MARGIN, y, 'right', 'Helvetica', 7);
  }
};

/**
 * Draws statement `s` onto `doc` (created with `bufferPages: true`), adding pages as the table needs.
 *
 * @example
 * ```ts
 * import PDFDocument from 'pdfkit';
 * import { statementData } from './data.js';
 * import { drawStatement } from './layout.js';
 *
 * const [data] = statementData({ seed: 1, memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 1 });
 * const doc = new PDFDocument({ size: 'LETTER', bufferPages: true });
 * drawStatement(doc, data!, 'MX Bank');
 * doc.end();
 * ```
 */
export function drawStatement(doc: Doc, s: StatementData, institutionName: string): void {
  const bottom = doc.page.height - MARGIN - ROW;
  let y = tableHeader(doc, letterhead(doc, s, institutionName));
  row(doc, y, s.period.start, 'Opening balance', '', formatMoney(s.openingBalanceCents));
  y += ROW;
  for (const t of s.transactions) {
    if (y > bottom) {
      doc.addPage();
      put(doc, `${s.account.name} ${s.account.maskedNumber} - continued`, MARGIN, MARGIN, 'left', 'Helvetica-Bold', 10);
      y = tableHeader(doc, MARGIN + 20);
    }
    row(doc, y, t.date, t.description, formatMoney(t.amountCents), formatMoney(t.balanceCents));
    y += ROW;
  }
  if (y > bottom) {
    doc.addPage();
    y = MARGIN;
  }
  rule(doc, y);
  put(doc, 'Closing balance', COLUMNS.description, y + 4, 'left', 'Helvetica-Bold');
  put(doc, formatMoney(s.closingBalanceCents), COLUMNS.balance, y + 4, 'right', 'Helvetica-Bold');
  footers(doc, s, institutionName);
}
