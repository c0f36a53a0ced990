/**
 * The public shapes of the sandbox's statement catalogue: what the server lists and streams.
 *
 * @module
 */

/**
 * One statement the sandbox can serve: its MX-facing fields, its period and a way to stream its PDF.
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { statementCatalog } from './catalog.js';
 * declare const res: ServerResponse;
 *
 * const [first] = await statementCatalog({
 *   seed: 1, userGuid: 'USR-1', memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 6,
 * });
 * first?.open().pipe(res); // res.setHeader('content-length', first.byteLength) first
 * ```
 */
export interface StatementSource {
  /** `'STA-'` + 32 lowercase hex digits, deterministic per (seed, memberGuid, account, period). */
  readonly guid: string;
  /** `'ACT-'` + 32 lowercase hex digits, deterministic per (seed, memberGuid, account index). */
  readonly accountGuid: string;
  /** Display name of the account, e.g. `'MX Bank Checking'`. */
  readonly accountName: string;
  /** First day of the statement period, `'YYYY-MM-DD'`. */
  readonly periodStart: string;
  /** Last day of the statement period, `'YYYY-MM-DD'`. */
  readonly periodEnd: string;
  /** ISO timestamp on the day after `periodEnd` (`'YYYY-MM-DDT06:00:00+00:00'`), deterministic. */
  readonly createdAt: string;
  /** Exact number of bytes `open()` yields. */
  readonly byteLength: number;
  /** SHA-256 (lowercase hex) of exactly the bytes `open()` yields. */
  readonly contentHash: string;
  /** A fresh stream of the PDF bytes on every call, in chunks of at most 64 KiB. */
  open(): NodeJS.ReadableStream;
}

/**
 * What {@link statementCatalog} needs to build one member's statements.
 *
 * @example
 * ```ts
 * import type { StatementCatalogOptions } from './types.js';
 *
 * const opts: StatementCatalogOptions = {
 *   seed: 'demo', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 6,
 * };
 * ```
 */
export interface StatementCatalogOptions {
  /** Seed of the whole sandbox; with `memberGuid` it fixes every guid, number and byte. */
  readonly seed: string | number;
  /** The member's user. Accepted for the server's convenience; it changes no content. */
  readonly userGuid: string;
  /** The member whose statements these are. */
  readonly memberGuid: string;
  /** Printed in each PDF's letterhead and metadata. */
  readonly institutionName: string;
  /** Total statements for the member (accounts × months), e.g. 6 → 2 accounts × 3 months. */
  readonly count: number;
  /** When set, each PDF is padded (by a valid incremental update) to at least this many bytes. */
  readonly largePdfBytes?: number;
  /** `'YYYY-MM-DD'`: the latest period ends before it. Default `'2026-11-01'` (never the clock). */
  readonly referenceDate?: string;
}
