/**
 * Lays one statement out on US Letter pages: letterhead, account box, summary, transaction pages, footers.
 *
 * Positions are given from the top of the page (`top` = the top of a line of text, as a reader measures) and
 * turned into PDF baselines here. Page breaks are decided here too, so the page count is a pure function of the
 * data; the footers ("Page i of n") are drawn once the count is known. Text that would run into its neighbour
 * (a very long institution name, say) is set smaller, down to a floor, then shortened with an ellipsis.
 *
 * @module
 */
import { PageContent, US_LETTER, ascent, textWidth, type PdfPage, type StandardFontName } from '../pdf/index.js';
import type { StatementData } from './data.js';
import { formatMoney } from './money.js';
import { parseDay } from './periods.js';

type Align = 'left' | 'right';

const REGULAR: StandardFontName = 'Helvetica';
const BOLD: StandardFontName = 'Helvetica-Bold';
const MARGIN = 50;
const RIGHT = US_LETTER.width - MARGIN;
const ROW = 14;
const GAP = 12;
const COLUMNS = { date: 50, description: 120, amount: 460, balance: 562 } as const; // amount/balance: right edges
const AMOUNT_WIDTH = 70; // room kept left of the amount column's right edge
const SUMMARY_LEFT = 330;
const RULE = { width: 0.5, gray: 0x88 / 0xff } as const; // #888888
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'] as const;

const longDate = (day: string): string => {
  const d = parseDay(day);
  return `${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
};

/** A run of text as it will be set: possibly smaller than asked, possibly shortened. */
interface FittedText {
  readonly text: string;
  readonly size: number;
}

const ELLIPSIS = '\u2026';

/**
 * Fits `text` into `maxWidth`: as asked when it fits; else at a smaller size (not below `minSize`, in half
 * points); else at `minSize`, shortened with an ellipsis.
 *
 * @example
 * ```ts
 * import { fitText } from './layout.js';
 *
 * fitText('MX Bank', 'Helvetica-Bold', 20, 300, 12);             // { text: 'MX Bank', size: 20 }
 * fitText('A very long institution name', 'Helvetica', 9, 40, 9); // { text: 'A very l…', size: 9 }
 * ```
 */
export function fitText(text: string, font: StandardFontName, size: number, maxWidth: number, minSize: number): FittedText {
  const width = textWidth(text, font, size);
  if (width <= maxWidth) return { text, size };
  const scaled = Math.floor(((size * maxWidth) / width) * 2) / 2;
  if (scaled >= minSize) return { text, size: scaled };
  const chars = [...text];
  for (let keep = chars.length - 1; keep > 0; keep--) {
    const shortened = `${chars.slice(0, keep).join('').trimEnd()}${ELLIPSIS}`;
    if (textWidth(shortened, font, minSize) <= maxWidth) return { text: shortened, size: minSize };
  }
  return { text: ELLIPSIS, size: minSize };
}

/** One page being drawn, addressed from its top edge. */
class Sheet {
  readonly content = new PageContent();

  /** Sets `text` with the top of its line at `top`; `x` is its left edge, or its right edge when right-aligned. */
  put(text: string, x: number, top: number, align: Align = 'left', font = REGULAR, size = 9): this {
    const left = align === 'right' ? x - textWidth(text, font, size) : x;
    this.content.text(text, left, US_LETTER.height - top - ascent(font, size), font, size);
    return this;
  }

  /** Like {@link Sheet.put}, with the text fitted into `maxWidth` first. */
  fit(text: string, x: number, top: number, maxWidth: number, font: StandardFontName, size: number, minSize: number): this {
    const fitted = fitText(text, font, size, maxWidth, minSize);
    return this.put(fitted.text, x, top, 'left', font, fitted.size);
  }

  /** A hairline across the text area at `top`. */
  rule(top: number): this {
    const y = US_LETTER.height - top;
    this.content.line(MARGIN, y, RIGHT, y, RULE);
    return this;
  }

  page(): PdfPage {
    return { ...US_LETTER, content: this.content };
  }
}

const letterhead = (sheet: Sheet, s: StatementData, institutionName: string): number => {
  const period = `Statement period: ${longDate(s.period.start)} through ${longDate(s.period.end)}`;
  const id = `Statement ID: ${s.guid}`;
  const besideName = Math.max(textWidth(period, REGULAR, 9), textWidth(id, REGULAR, 7));
  sheet.fit(institutionName, MARGIN, 50, RIGHT - besideName - GAP - MARGIN, BOLD, 20, 12);
  sheet.put('Account Statement', MARGIN, 76, 'left', REGULAR, 12);
  sheet.put(period, RIGHT, 54, 'right');
  sheet.put(id, RIGHT, 68, 'right', REGULAR, 7);
  sheet.rule(100);
  sheet.fit(s.account.name, MARGIN, 112, SUMMARY_LEFT - GAP - MARGIN, BOLD, 12, 9);
  sheet.put(`Account number: ${s.account.maskedNumber}`, MARGIN, 130);
  sheet.put(`Account ID: ${s.account.guid}`, MARGIN, 143, 'left', REGULAR, 7);
  const summary: ReadonlyArray<readonly [string, number]> = [
    ['Opening balance', s.openingBalanceCents],
    ['Deposits and other credits', s.totalCreditsCents],
    ['Withdrawals and other debits', s.totalDebitsCents],
    ['Closing balance', s.closingBalanceCents],
  ];
  summary.forEach(([label, cents], i) => {
    const font = i === 0 || i === summary.length - 1 ? BOLD : REGULAR;
    sheet.put(label, SUMMARY_LEFT, 112 + i * ROW, 'left', font, 9);
    sheet.put(formatMoney(cents), RIGHT, 112 + i * ROW, 'right', font, 9);
  });
  sheet.rule(176);
  sheet.put('Transactions', MARGIN, 186, 'left', BOLD, 12);
  return 206;
};

const tableHeader = (sheet: Sheet, top: number): number => {
  sheet.put('Date', COLUMNS.date, top, 'left', BOLD);
  sheet.put('Description', COLUMNS.description, top, 'left', BOLD);
  sheet.put('Amount', COLUMNS.amount, top, 'right', BOLD);
  sheet.put('Balance', COLUMNS.balance, top, 'right', BOLD);
  sheet.rule(top + 12);
  return top + ROW + 4;
};

const row = (sheet: Sheet, top: number, date: string, description: string, amount: string, balance: string): void => {
  sheet.put(date, COLUMNS.date, top);
  sheet.fit(description, COLUMNS.description, top, COLUMNS.amount - AMOUNT_WIDTH - COLUMNS.description, REGULAR, 9, 9);
  sheet.put(amount, COLUMNS.amount, top, 'right');
  sheet.put(balance, COLUMNS.balance, top, 'right');
};

const footers = (sheets: readonly Sheet[], s: StatementData, institutionName: string): void => {
  const top = US_LETTER.height - 36;
  const about = `${institutionName} statement for account ${s.account.maskedNumber}, ${s.period.start} to ${s.period.end}`;
  sheets.forEach((sheet, i) => {
    const page = `Page ${i + 1} of ${sheets.length}`;
    sheet.fit(about, MARGIN, top, RIGHT - textWidth(page, REGULAR, 7) - GAP - MARGIN, REGULAR, 7, 7);
    sheet.put(page, RIGHT, top, 'right', REGULAR, 7);
  });
};

/**
 * Lays statement `s` out on as many US Letter pages as its transactions need (about 40 on the first page,
 * 50 on each further one), every page with a "Page i of n" footer.
 *
 * @example
 * ```ts
 * import { buildPdf } from '../pdf/index.js';
 * import { statementData } from './data.js';
 * import { layoutStatement } from './layout.js';
 *
 * const [data] = statementData({ seed: 1, memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 1 });
 * const pages = layoutStatement(data!, 'MX Bank');
 * const pdf = buildPdf({ pages, fileId: Buffer.alloc(16) });
 * ```
 */
export function layoutStatement(s: StatementData, institutionName: string): PdfPage[] {
  const bottom = US_LETTER.height - MARGIN - ROW;
  const sheets = [new Sheet()];
  let sheet = sheets[0]!;
  const nextSheet = (): Sheet => {
    sheet = new Sheet();
    sheets.push(sheet);
    return sheet;
  };
  let top = tableHeader(sheet, letterhead(sheet, s, institutionName));
  row(sheet, top, s.period.start, 'Opening balance', '', formatMoney(s.openingBalanceCents));
  top += ROW;
  for (const t of s.transactions) {
    if (top > bottom) {
      nextSheet().fit(`${s.account.name} ${s.account.maskedNumber} - continued`, MARGIN, MARGIN, RIGHT - MARGIN, BOLD, 10, 7);
      top = tableHeader(sheet, MARGIN + 20);
    }
    row(sheet, top, t.date, t.description, formatMoney(t.amountCents), formatMoney(t.balanceCents));
    top += ROW;
  }
  if (top > bottom) {
    nextSheet();
    top = MARGIN;
  }
  sheet.rule(top);
  sheet.put('Closing balance', COLUMNS.description, top + 4, 'left', BOLD);
  sheet.put(formatMoney(s.closingBalanceCents), COLUMNS.balance, top + 4, 'right', BOLD);
  footers(sheets, s, institutionName);
  return sheets.map((x) => x.page());
}
