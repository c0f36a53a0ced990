/**
 * MX's page-number pagination: `page` (default 1) and `records_per_page` (default 25; a value under 10 or over
 * the list's limit falls back to 25, as MX does; the limit is 100 for institutions and 1000 for other lists).
 *
 * @module
 */

/** The default page size, and the fallback for a size out of range. */
export const DEFAULT_PER_PAGE = 25;
/** The smallest page size MX honours. */
export const MIN_PER_PAGE = 10;

/** One page of a list, with MX's `pagination` object. */
export interface Page<T> {
  readonly items: ReadonlyArray<T>;
  readonly pagination: {
    readonly current_page: number;
    readonly per_page: number;
    readonly total_entries: number;
    readonly total_pages: number;
  };
}

const positiveInt = (raw: string | null): number | undefined => {
  if (raw === null || !/^\s*\d{1,9}\s*$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 ? n : undefined;
};

/**
 * Cuts the page the query asks for out of `items`. A page past the end is empty (with the true totals).
 *
 * @example
 * ```ts
 * import { INSTITUTIONS } from './institutions-catalog.js';
 * import { paginate } from './pagination.js';
 *
 * paginate(INSTITUTIONS, new URLSearchParams('page=2&records_per_page=10'), 100).pagination;
 * // { current_page: 2, per_page: 10, total_entries: 34, total_pages: 4 }
 * ```
 */
export function paginate<T>(items: ReadonlyArray<T>, query: URLSearchParams, maxPerPage: 100 | 1000): Page<T> {
  const asked = positiveInt(query.get('records_per_page'));
  const perPage = asked === undefined || asked < MIN_PER_PAGE || asked > maxPerPage ? DEFAULT_PER_PAGE : asked;
  const page = positiveInt(query.get('page')) ?? 1;
  const start = (page - 1) * perPage;
  return {
    items: start < items.length ? items.slice(start, start + perPage) : [],
    pagination: {
      current_page: page,
      per_page: perPage,
      total_entries: items.length,
      total_pages: Math.ceil(items.length / perPage),
    },
  };
}
