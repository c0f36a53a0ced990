/**
 * The member's deposit accounts: kind, name, number and guid, all from the seed.
 *
 * @module
 */
import { deterministicGuid } from './ids.js';
import { createRng } from './prng.js';

/**
 * The kinds of account the sandbox invents, in the order they are opened.
 *
 * @example
 * ```ts
 * import type { AccountKind } from './accounts.js';
 *
 * const kind: AccountKind = 'savings';
 * ```
 */
export type AccountKind = 'checking' | 'savings' | 'money-market' | 'business-checking';

/**
 * One generated account.
 *
 * @example
 * ```ts
 * import { generateAccount } from './accounts.js';
 *
 * const { name, maskedNumber } = generateAccount('seed', 'MBR-1', 0, 'MX Bank'); // 'MX Bank …', '******1234'
 * ```
 */
export interface AccountData {
  /** Position among the member's accounts, 0-based. */
  readonly index: number;
  /** `'ACT-'` + 32 hex. */
  readonly guid: string;
  readonly kind: AccountKind;
  /** e.g. `'MX Bank Checking'`. */
  readonly name: string;
  /** The full 10-digit account number (printed masked). */
  readonly number: string;
  /** e.g. `'******1234'`. */
  readonly maskedNumber: string;
}

const KINDS: readonly AccountKind[] = ['checking', 'savings', 'money-market', 'business-checking'];

const NAMES: Readonly<Record<AccountKind, readonly [string, ...string[]]>> = {
  checking: ['Checking', 'Everyday Checking', 'Premier Checking', 'Free Checking'],
  savings: ['Savings', 'High Yield Savings', 'Statement Savings'],
  'money-market': ['Money Market', 'Premier Money Market'],
  'business-checking': ['Business Checking', 'Small Business Checking'],
};

/**
 * The most accounts a member gets.
 *
 * @example
 * ```ts
 * import { accountCountFor, MAX_ACCOUNTS } from './accounts.js';
 *
 * accountCountFor(1000) <= MAX_ACCOUNTS; // true
 * ```
 */
export const MAX_ACCOUNTS = KINDS.length;

/**
 * How many accounts carry `count` statements: 2 for 2–24 (e.g. 6 → 2 × 3 months), more for long histories.
 *
 * @example
 * ```ts
 * import { accountCountFor } from './accounts.js';
 *
 * accountCountFor(6);  // 2
 * accountCountFor(1);  // 1
 * accountCountFor(40); // 4
 * ```
 */
export function accountCountFor(count: number): number {
  if (count <= 0) return 0;
  return Math.min(MAX_ACCOUNTS, Math.max(Math.min(count, 2), Math.ceil(count / 12)));
}

/**
 * Generates account `index` of a member; the result depends only on (seed, memberGuid, index, institutionName).
 *
 * @example
 * ```ts
 * import { generateAccount } from './accounts.js';
 *
 * generateAccount('seed', 'MBR-1', 0, 'MX Bank').kind; // 'checking'
 * ```
 */
export function generateAccount(
  seed: string | number,
  memberGuid: string,
  index: number,
  institutionName: string,
): AccountData {
  const kind = KINDS[index] ?? 'checking';
  const rng = createRng(seed, memberGuid, 'account', index);
  const number = String(rng.int(1_000_000_000, 9_999_999_999));
  return {
    index,
    guid: deterministicGuid('ACT', seed, memberGuid, 'account', index),
    kind,
    name: `${institutionName} ${rng.pick(NAMES[kind])}`,
    number,
    maskedNumber: `******${number.slice(-4)}`,
  };
}
