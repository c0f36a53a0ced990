/**
 * One account-month of transactions that reconcile: opening + sum(amounts) = closing.
 *
 * @module
 */
import type { AccountKind } from './accounts.js';
import { parseDay, type Period } from './periods.js';
import type { Rng } from './prng.js';

/**
 * One line of a statement.
 *
 * @example
 * ```ts
 * import type { TransactionData } from './transactions.js';
 *
 * const t: TransactionData = { date: '2026-10-02', description: 'ATM WITHDRAWAL', amountCents: -4000, balanceCents: 96000 };
 * ```
 */
export interface TransactionData {
  /** `'YYYY-MM-DD'`, inside the period. */
  readonly date: string;
  readonly description: string;
  /** Signed cents: credits positive, debits negative; never 0. */
  readonly amountCents: number;
  /** Running balance after this transaction, in cents. */
  readonly balanceCents: number;
}

type Draft = { day: number; description: string; amountCents: number };
type Line = Omit<Draft, 'day'>;

const MERCHANTS = [
  'WHOLE FOODS', 'SAFEWAY', 'SHELL OIL', 'TARGET', 'AMAZON MKTPLACE', 'STARBUCKS', 'HOME DEPOT', 'COSTCO WHSE',
  'WALGREENS', 'CHIPOTLE', 'UBER TRIP', 'NETFLIX.COM', 'SPOTIFY', 'BEST BUY', 'TRADER JOES', 'CVS PHARMACY',
] as const;
const BILLERS = ['CITY WATER UTIL', 'PACIFIC POWER', 'COMCAST CABLE', 'STATE FARM INS', 'VERIZON WIRELESS'] as const;
const CITIES = ['LEHI UT', 'PROVO UT', 'SALT LAKE CTY UT', 'OREM UT', 'SANDY UT'] as const;

const line = (description: string, amountCents: number): Line => ({ description, amountCents });

const checkingLine = (rng: Rng, checkNo: number): Line => {
  const roll = rng.next();
  if (roll < 0.62) return line(`POS PURCHASE ${rng.pick(MERCHANTS)} #${rng.int(100, 9999)}`, -rng.int(300, 25_000));
  if (roll < 0.75) return line(`ACH DEBIT ${rng.pick(BILLERS)}`, -rng.int(4_000, 32_000));
  if (roll < 0.85) return line(`ATM WITHDRAWAL ${rng.pick(CITIES)}`, -rng.int(2, 20) * 2_000);
  if (roll < 0.93) return line(`CHECK #${checkNo}`, -rng.int(2_500, 60_000));
  return line(`MOBILE DEPOSIT REF ${rng.int(100000, 999999)}`, rng.int(2_000, 80_000));
};

const savingsLine = (rng: Rng): Line => {
  const roll = rng.next();
  if (roll < 0.4) return line('TRANSFER FROM CHECKING', rng.int(2_500, 50_000));
  if (roll < 0.7) return line('TRANSFER TO CHECKING', -rng.int(2_500, 40_000));
  if (roll < 0.85) return line(`ATM WITHDRAWAL ${rng.pick(CITIES)}`, -rng.int(2, 10) * 2_000);
  return line(`ACH CREDIT REF ${rng.int(100000, 999999)}`, rng.int(1_000, 30_000));
};

/**
 * Generates 20–60 transactions dated inside `period`, summing exactly to `closingCents - openingCents`.
 *
 * @example
 * ```ts
 * import { createRng } from './prng.js';
 * import { generateTransactions } from './transactions.js';
 *
 * const txs = generateTransactions(createRng('s'), 'checking', { start: '2026-10-01', end: '2026-10-31' }, 500000, 420000);
 * txs.at(-1)?.balanceCents; // 420000
 * ```
 */
export function generateTransactions(
  rng: Rng,
  kind: AccountKind,
  period: Period,
  openingCents: number,
  closingCents: number,
): TransactionData[] {
  const daysInMonth = parseDay(period.end).getUTCDate();
  const total = rng.int(21, 60); // one may drop out below (a zero balancing amount), leaving at least 20
  const drafts: Draft[] = [];
  const depositLike = kind === 'checking' || kind === 'business-checking';
  if (depositLike) {
    const payer = kind === 'checking' ? 'PAYROLL ACME CORP' : 'STRIPE TRANSFER';
    drafts.push({ day: 1, description: `ACH DEPOSIT ${payer}`, amountCents: rng.int(120_000, 320_000) });
    drafts.push({ day: 15, description: `ACH DEPOSIT ${payer}`, amountCents: rng.int(120_000, 320_000) });
  } else {
    drafts.push({ day: daysInMonth, description: 'INTEREST PAID', amountCents: rng.int(50, 4_000) });
  }
  let checkNo = rng.int(1001, 4000);
  while (drafts.length < total - 1) {
    const next = depositLike ? checkingLine(rng, checkNo++) : savingsLine(rng);
    drafts.push({ ...next, day: rng.int(1, daysInMonth) });
  }
  const balancing = closingCents - openingCents - drafts.reduce((sum, d) => sum + d.amountCents, 0);
  if (balancing !== 0) {
    const other = depositLike ? 'SAVINGS' : 'CHECKING';
    const description = balancing > 0 ? `ONLINE TRANSFER FROM ${other}` : `ONLINE TRANSFER TO ${other}`;
    drafts.push({ day: rng.int(1, daysInMonth), description, amountCents: balancing });
  }
  const ordered = drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.day - b.d.day || a.i - b.i);
  const monthPrefix = period.start.slice(0, 8);
  let balance = openingCents;
  return ordered.map(({ d }) => {
    balance += d.amountCents;
    return {
      date: `${monthPrefix}${String(d.day).padStart(2, '0')}`,
      description: d.description,
      amountCents: d.amountCents,
      balanceCents: balance,
    };
  });
}
