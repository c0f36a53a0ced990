/**
 * The `pagination` block of MX list responses (`PaginationResponse` in the spec).
 *
 * @module
 */
import * as t from 'io-ts';

/**
 * Page information; all four numbers are required. Page until `current_page >= total_pages`.
 *
 * @example
 * ```ts
 * import { Pagination } from './pagination.js';
 * Pagination.decode({ current_page: 1, per_page: 25, total_entries: 3, total_pages: 1 }); // right({ … })
 * ```
 */
export const Pagination = t.type(
  {
    current_page: t.number,
    per_page: t.number,
    total_entries: t.number,
    total_pages: t.number,
  },
  'Pagination',
);
/**
 * A decoded {@link Pagination}.
 *
 * @example
 * ```ts
 * import type { Pagination } from 'mx-statements-rx';
 * const p: Pagination = { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 };
 * ```
 */
export type Pagination = t.TypeOf<typeof Pagination>;
