/**
 * `statementCatalog`: a member's statements as streamable PDFs, cached per member in a bounded LRU.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { bufferChunks } from './chunks.js';
import { DEFAULT_REFERENCE_DATE, statementData, type StatementData } from './data.js';
import { digestChunks } from './digest.js';
import { paddedPdf } from './incremental-update.js';
import { LruCache } from './lru.js';
import { parseDay } from './periods.js';
import { renderStatementPdf } from './render.js';
import { statementSource } from './source.js';
import type { StatementCatalogOptions, StatementSource } from './types.js';

/**
 * How many members' catalogues are kept (small PDFs in memory; large ones only as a recipe + hash).
 *
 * @example
 * ```ts
 * import { CATALOG_CACHE_MEMBERS } from './catalog.js';
 *
 * CATALOG_CACHE_MEMBERS; // 200
 * ```
 */
export const CATALOG_CACHE_MEMBERS = 200;

const cache = new LruCache<string, Promise<ReadonlyArray<StatementSource>>>(CATALOG_CACHE_MEMBERS);

const validate = (opts: StatementCatalogOptions): void => {
  if (!Number.isSafeInteger(opts.count) || opts.count < 0) {
    throw new RangeError(`statementCatalog: count must be a non-negative integer, got ${opts.count}`);
  }
  const large = opts.largePdfBytes;
  if (large !== undefined && (!Number.isSafeInteger(large) || large < 1)) {
    throw new RangeError(`statementCatalog: largePdfBytes must be a positive integer, got ${large}`);
  }
  parseDay(opts.referenceDate ?? DEFAULT_REFERENCE_DATE);
};

const sourceFor = async (data: StatementData, opts: StatementCatalogOptions): Promise<StatementSource> => {
  const pdf = await renderStatementPdf(data, opts.institutionName);
  if (opts.largePdfBytes === undefined) {
    const digest = { byteLength: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') };
    return statementSource(data, () => bufferChunks(pdf), digest);
  }
  const padded = paddedPdf(pdf, opts.largePdfBytes, data.guid);
  return statementSource(data, () => padded.chunks(), await digestChunks(padded.chunks()));
};

const build = async (opts: StatementCatalogOptions): Promise<ReadonlyArray<StatementSource>> => {
  const sources: StatementSource[] = [];
  for (const data of statementData(opts)) sources.push(await sourceFor(data, opts));
  return Object.freeze(sources);
};

/**
 * Lists a member's statements, each with a deterministic guid, byte length, SHA-256 and a PDF stream.
 *
 * The same options always give the same guids and bytes. Results are cached per option set (at most
 * {@link CATALOG_CACHE_MEMBERS} members, least recently used evicted), so repeated listings do not re-render.
 * With `largePdfBytes`, each PDF is hashed once by streaming (tens of MB each: expect ~0.1 s per 50 MB) and
 * never held in memory. Rejects with a `RangeError` on an invalid count, size or reference date.
 *
 * @example
 * ```ts
 * import { statementCatalog } from './catalog.js';
 *
 * const statements = await statementCatalog({
 *   seed: 42, userGuid: 'USR-1', memberGuid: 'MBR-1', institutionName: 'MX Bank', count: 6,
 * });
 * for (const s of statements) console.log(s.guid, s.accountName, s.periodStart, s.contentHash);
 * ```
 */
export function statementCatalog(opts: StatementCatalogOptions): Promise<ReadonlyArray<StatementSource>> {
  try {
    validate(opts);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const key = JSON.stringify([
    String(opts.seed), opts.memberGuid, opts.institutionName, opts.count, opts.largePdfBytes ?? null,
    opts.referenceDate ?? DEFAULT_REFERENCE_DATE,
  ]);
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = build(opts);
  cache.set(key, pending);
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}

/**
 * Empties the catalogue cache (for tests and for servers that change seed at runtime).
 *
 * @example
 * ```ts
 * import { clearStatementCatalogCache } from './catalog.js';
 *
 * clearStatementCatalogCache();
 * ```
 */
export function clearStatementCatalogCache(): void {
  cache.clear();
}
