/**
 * Every member of every user, pulled one at a time: a page of users or of members is requested only when the
 * members already fetched have all been handed out. A page that fails in a way that may pass (429, 5xx, network,
 * timeout) is asked again, with backoff, until the run's deadline. A user whose members cannot be listed for good
 * (deleted mid-run: 404) is skipped, and the listing goes on.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { EMPTY, concatWith, defer, finalize, ignoreElements, of, share, tap, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import { isRetryable, type MxError } from '../core/errors.js';
import type { MxObservable } from '../core/observable-either.js';
import { retryDelayFor } from '../http/retry-decision.js';

/** What {@link MemberCursor.next$} hands out. */
export type CursorItem = { readonly kind: 'item'; readonly ref: MemberRef } | { readonly kind: 'end' };

/** A pull-based cursor over members. */
export interface MemberCursor {
  /** Emits the next member (fetching a page if needed) or `end`, then completes. Safe to call concurrently. */
  readonly next$: Observable<CursorItem>;
  /** The listing error that ended the cursor early, if any (a page of users, or any page past `retryUntil`). */
  readonly error: () => MxError | undefined;
  /**
   * Whether `next$` would answer `end` without a request: every page was fetched and every member handed out (or
   * the listing ended with an error). True as soon as the last member was handed out.
   */
  readonly exhausted: () => boolean;
}

/**
 * A user skipped by the listing: a page of its members was refused in a way that would not pass (a user deleted
 * mid-run: 404; 403…). Its members are not listed; the listing goes on with the next user.
 *
 * @example
 * ```ts
 * import type { CursorSkip } from 'mx-statements-rx';
 * const line = (s: CursorSkip) => `members of ${s.userGuid} not listed: ${s.error.message}`;
 * ```
 */
export interface CursorSkip {
  readonly userGuid: string;
  readonly error: MxError;
}

/** Page sizes of the lazy listing. */
export const CURSOR_PAGE_SIZE = { users: 100, members: 100 } as const;

/**
 * A listing page failed in a way that may pass and will be asked again after `delayMs`.
 *
 * @example
 * ```ts
 * import type { CursorRetry } from 'mx-statements-rx';
 * const line = (r: CursorRetry) => `listing: ${r.error._tag}, retry ${r.attempt} in ${r.delayMs} ms`;
 * ```
 */
export interface CursorRetry {
  readonly error: MxError;
  /** 1-based: the retries of this page so far, this one included. */
  readonly attempt: number;
  readonly delayMs: number;
}

/** Options of {@link allMembersCursor}. */
export interface MemberCursorOptions {
  /**
   * Until when (on `scheduler`'s clock) a page that failed in a way that may pass is asked again. Default: never
   * (the first failure ends the cursor). `Infinity`: for ever.
   */
  readonly retryUntil?: number;
  /** The scheduler of the retry waits. Default: the client's. */
  readonly scheduler?: SchedulerLike;
  /** Jitter source. Default: the client's. */
  readonly random?: () => number;
  /** Told before each wait. */
  readonly onRetry?: (retry: CursorRetry) => void;
  /** Told when a user is skipped (its members could not be listed for good). */
  readonly onSkip?: (skip: CursorSkip) => void;
}

/**
 * A cursor over every member of every user (`GET /users`, then `GET /users/{u}/members` per user), holding at
 * most one page of users and one page of members. A page that fails with a retryable error (after the client's
 * own retries) is asked again after a backoff (the client's retry policy; a 429's `Retry-After` when longer)
 * until `retryUntil`. A page of members refused otherwise skips that user (`onSkip`) and the listing goes on; a
 * page of users refused otherwise, any failure past `retryUntil`, or a `Retry-After` beyond the client's
 * `retry.maxRetryAfterMs` ends it (see `error()`).
 */
export const allMembersCursor = (client: MxClient, options: MemberCursorOptions = {}): MemberCursor => {
  const users: string[] = [];
  const members: MemberRef[] = [];
  const scheduler = options.scheduler ?? client.config.scheduler;
  const random = options.random ?? client.config.random;
  const retryUntil = options.retryUntil ?? -Infinity;
  let userPage = 0;
  let userPages = Infinity;
  let current: { userGuid: string; page: number; pages: number } | undefined;
  let error: MxError | undefined;
  let inflight: Observable<never> | undefined;
  /** Retries of the page being fetched. */
  let retries = 0;

  const exhausted = () =>
    error !== undefined || (members.length === 0 && current === undefined && users.length === 0 && userPage >= userPages);

  /** A failed page: wait and ask again (returns the wait), or end the cursor with the error. */
  const failed = (e: MxError): Observable<never> => {
    // a listing page is a GET: the transport's own rule and delay for its retry n
    const wait = scheduler.now() >= retryUntil ? undefined : retryDelayFor(e, 'GET', retries + 1, client.config.retry, random);
    if (wait === undefined) {
      error = e;
      return EMPTY;
    }
    retries += 1;
    const delayMs = Math.max(0, Math.min(wait, retryUntil - scheduler.now()));
    options.onRetry?.({ error: e, attempt: retries, delayMs });
    return timer(delayMs, scheduler).pipe(ignoreElements());
  };

  /** A page of members refused for good: that user is skipped (told to `onSkip`), and the listing goes on. */
  const skipUser = (userGuid: string, e: MxError): Observable<never> => {
    current = undefined;
    retries = 0;
    options.onSkip?.({ userGuid, error: e });
    return EMPTY;
  };

  /** Fetches exactly one page (members of the current user, or the next page of users), or waits to retry it. */
  const fetchOne$ = (): Observable<never> =>
    defer(() => {
      if (current === undefined && users.length > 0) current = { userGuid: users.shift()!, page: 0, pages: Infinity };
      if (current !== undefined) {
        const c = current;
        return client.members.list$({ userGuid: c.userGuid }, { page: c.page + 1, recordsPerPage: CURSOR_PAGE_SIZE.members }).pipe(
          tap((r) => {
            if (E.isLeft(r)) return;
            retries = 0;
            c.page += 1;
            c.pages = r.right.pagination.total_pages;
            members.push(...r.right.items.map((m) => ({ userGuid: c.userGuid, memberGuid: m.guid })));
            if (r.right.items.length === 0 || c.page >= c.pages) current = undefined;
          }),
          concatWithFailure((e) => (isRetryable(e) ? failed(e) : skipUser(c.userGuid, e))),
        );
      }
      return client.users.list$({ page: userPage + 1, recordsPerPage: CURSOR_PAGE_SIZE.users }).pipe(
        tap((r) => {
          if (E.isLeft(r)) return;
          retries = 0;
          userPage += 1;
          userPages = r.right.items.length === 0 ? userPage : r.right.pagination.total_pages;
          users.push(...r.right.items.map((u) => u.guid));
        }),
        concatWithFailure(failed),
      );
    });

  const next$: Observable<CursorItem> = defer(() => {
    const ref = members.shift();
    if (ref !== undefined) return of<CursorItem>({ kind: 'item', ref });
    if (exhausted()) return of<CursorItem>({ kind: 'end' });
    // One page fetch at a time, shared by every waiting caller. It is forgotten *before* its completion reaches
    // them (tap runs ahead of share's subscribers), so a waiter re-entering next$ never re-runs a finished fetch;
    // and only if it is still the current one (its finalize runs after a waiter may have started the next).
    if (inflight === undefined) {
      const forget = () => {
        if (inflight === mine) inflight = undefined;
      };
      const mine: Observable<never> = fetchOne$().pipe(tap({ complete: forget, error: forget }), finalize(forget), share());
      inflight = mine;
    }
    return inflight.pipe(concatWith(next$));
  });

  return { next$, error: () => error, exhausted };
};

/** Drops the page's value; a `Left` continues with `onLeft(error)` (a retry wait, or nothing). */
const concatWithFailure = <A>(onLeft: (e: MxError) => Observable<never>) =>
  (source: MxObservable<A>): Observable<never> =>
    defer(() => {
      let left: MxError | undefined;
      return source.pipe(
        tap((r) => {
          if (E.isLeft(r)) left = r.left;
        }),
        ignoreElements(),
        concatWith(defer(() => (left === undefined ? EMPTY : onLeft(left)))),
      );
    });
