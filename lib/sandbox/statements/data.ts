/**
 * The content of a member's statements (accounts × months, balances, transactions) before any PDF exists.
 *
 * Every statement depends only on (seed, memberGuid, account index, period) and the institution name, so
 * changing `count` or `referenceDate` adds or drops statements without changing the ones that remain.
 *
 * @module
 */
import { accountCountFor, generateAccount, type AccountData, type AccountKind } from './accounts.js';
import { deterministicGuid } from './ids.js';
import { addDays, monthlyPeriods, nextPeriod, type Period } from './periods.js';
import { createRng } from './prng.js';
import { generateTransactions, type TransactionData } from './transactions.js';
import type { StatementCatalogOptions } from './types.js';

/**
 * The default `referenceDate`: fixed, never the clock, so output is reproducible.
 *
 * @example
 * ```ts
 * import { DEFAULT_REFERENCE_DATE } from './data.js';
 *
 * DEFAULT_REFERENCE_DATE; // '2026-11-01': the latest default period is October 2026
 * ```
 */
export const DEFAULT_REFERENCE_DATE = '2026-11-01';

/**
 * Everything printed on one statement.
 *
 * @example
 * ```ts
 * import { statementData } from './data.js';
 *
 * const [s] = statementData({ seed: 1, memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 1 });
 * s!.openingBalanceCents + s!.totalCreditsCents + s!.totalDebitsCents === s!.closingBalanceCents; // true
 * ```
 */
export interface StatementData {
  /** `'STA-'` + 32 hex. */
  readonly guid: string;
  readonly account: AccountData;
  readonly period: Period;
  /** `'YYYY-MM-DDT06:00:00+00:00'` on the day after the period ends. */
  readonly createdAt: string;
  readonly openingBalanceCents: number;
  readonly closingBalanceCents: number;
  /** Sum of the positive amounts. */
  readonly totalCreditsCents: number;
  /** Sum of the negative amounts (a negative number). */
  readonly totalDebitsCents: number;
  /** Oldest first; the last running balance equals `closingBalanceCents`. */
  readonly transactions: ReadonlyArray<TransactionData>;
}

/**
 * The options that decide statement content (a subset of {@link StatementCatalogOptions}).
 *
 * @example
 * ```ts
 * import type { StatementDataOptions } from './data.js';
 *
 * const opts: StatementDataOptions = { seed: 1, memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 6 };
 * ```
 */
export type StatementDataOptions = Pick<
  StatementCatalogOptions,
  'seed' | 'memberGuid' | 'institutionName' | 'count' | 'referenceDate'
>;

const OPENING_RANGE: Readonly<Record<AccountKind, readonly [number, number]>> = {
  checking: [150_000, 900_000],
  savings: [500_000, 4_000_000],
  'money-market': [1_000_000, 6_000_000],
  'business-checking': [1_000_000, 5_000_000],
};

const openingBalance = (seed: string | number, memberGuid: string, account: AccountData, period: Period): number => {
  const [min, max] = OPENING_RANGE[account.kind];
  return createRng(seed, memberGuid, 'opening', account.index, period.start).int(min, max);
};

const buildStatement = (opts: StatementDataOptions, account: AccountData, period: Period): StatementData => {
  const opening = openingBalance(opts.seed, opts.memberGuid, account, period);
  // The closing balance is the next month's opening balance, so consecutive statements chain up.
  const closing = openingBalance(opts.seed, opts.memberGuid, account, nextPeriod(period));
  const rng = createRng(opts.seed, opts.memberGuid, 'transactions', account.index, period.start);
  const transactions = generateTransactions(rng, account.kind, period, opening, closing);
  const sum = (sign: 1 | -1): number =>
    transactions.reduce((acc, t) => (Math.sign(t.amountCents) === sign ? acc + t.amountCents : acc), 0);
  return {
    guid: deterministicGuid('STA', opts.seed, opts.memberGuid, 'statement', account.index, period.start),
    account,
    period,
    createdAt: `${addDays(period.end, 1)}T06:00:00+00:00`,
    openingBalanceCents: opening,
    closingBalanceCents: closing,
    totalCreditsCents: sum(1),
    totalDebitsCents: sum(-1),
    transactions,
  };
};

/**
 * Generates the content of a member's `count` statements, ordered by account then period (oldest first).
 *
 * The grid is accounts × months (e.g. 6 → 2 accounts × 3 months); when `count` does not fill it, the oldest
 * months of the last accounts are left out. Internal: the sandbox server uses `statementCatalog`, which renders these.
 *
 * @example
 * ```ts
 * import { statementData } from './data.js';
 *
 * const data = statementData({ seed: 1, memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 6 });
 * data.length;                   // 6
 * data[0]?.account.name;         // e.g. 'MX Bank Checking'
 * ```
 */
export function statementData(opts: StatementDataOptions): StatementData[] {
  if (!Number.isSafeInteger(opts.count) || opts.count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${opts.count}`);
  }
  const accounts = accountCountFor(opts.count);
  if (accounts === 0) return [];
  const periods = monthlyPeriods(opts.referenceDate ?? DEFAULT_REFERENCE_DATE, Math.ceil(opts.count / accounts));
  const cells: Array<{ account: number; month: number }> = [];
  for (let month = periods.length - 1; month >= 0; month--) {
    for (let account = 0; account < accounts; account++) cells.push({ account, month });
  }
  const chosen = cells.slice(0, opts.count).sort((a, b) => a.account - b.account || a.month - b.month);
  const accountData = Array.from({ length: accounts }, (_, i) =>
    generateAccount(opts.seed, opts.memberGuid, i, opts.institutionName),
  );
  return chosen.map(({ account, month }) => {
    const acct = accountData[account];
    const period = periods[month];
    if (!acct || !period) throw new Error('statementData: grid out of range'); // unreachable
    return buildStatement(opts, acct, period);
  });
}
