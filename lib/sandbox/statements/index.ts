/**
 * The sandbox's statements: deterministic content per (seed, member) and real PDFs from our own PDF writer (../pdf).
 *
 * @example
 * ```ts
 * import { statementCatalog } from './index.js';
 *
 * const statements = await statementCatalog({
 *   seed: 1, userGuid: 'USR-1', memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 6,
 * });
 * ```
 *
 * @module
 */
export type { StatementCatalogOptions, StatementSource } from './types.js';
export { CATALOG_CACHE_MEMBERS, clearStatementCatalogCache, statementCatalog } from './catalog.js';
export { DEFAULT_REFERENCE_DATE, statementData } from './data.js';
export type { StatementData, StatementDataOptions } from './data.js';
export type { AccountData, AccountKind } from './accounts.js';
export type { TransactionData } from './transactions.js';
export { formatMoney } from './money.js';
