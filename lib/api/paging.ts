import * as E from 'fp-ts/lib/Either.js';
import { EMPTY, Observable, concat, concatMap, defer, from, map, of } from 'rxjs';
import type { MxError } from '../core/errors.js';
import type { Pagination } from '../codecs/index.js';
import type { MxObservable } from '../core/observable-either.js';

/** One page of a list endpoint. */
export interface Page<A> {
  readonly items: ReadonlyArray<A>;
  readonly pagination: Pagination;
}

/** Paging parameters of the list endpoints. */
export interface PageQuery {
  /** 1-based page number. */
  readonly page?: number;
  /** Page size: MX accepts 10–100 on institutions and 10–1000 elsewhere; outside that it silently uses 25. */
  readonly recordsPerPage?: number;
}

/** The most pages an `all$` stream will ask for, whatever the server claims (a guard against a broken server). */
export const MAX_PAGES = 100_000;

/**
 * Streams every item of a paged list, lazily: page `n + 1` is requested only after every item of page `n` has
 * been emitted, and never once the consumer has unsubscribed (so `take(3)` costs one request). A `Left` ends
 * the stream. Stops at `total_pages`, at an empty page, or at {@link MAX_PAGES}.
 */
export const allPages = <A>(fetchPage: (page: number) => MxObservable<Page<A>>): MxObservable<A> => {
  const from$ = (n: number): MxObservable<A> =>
    fetchPage(n).pipe(
      concatMap((result) => {
        if (E.isLeft(result)) return of(result);
        const { items, pagination } = result.right;
        const items$ = from(items).pipe(map((a) => E.right(a) as E.Either<MxError, A>));
        const more = items.length > 0 && n < pagination.total_pages && n < MAX_PAGES;
        return concat(items$, more ? defer(() => from$(n + 1)) : EMPTY);
      }),
    );
  return defer(() => from$(1));
};

/** Maps a list envelope into a {@link Page}. */
export const toPage = <A>(items: ReadonlyArray<A>, pagination: Pagination): Page<A> => ({ items, pagination });

/** MX's query names for paging. */
export const pageParams = (q: PageQuery | undefined) => ({
  page: q?.page,
  records_per_page: q?.recordsPerPage,
});
