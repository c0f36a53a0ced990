/**
 * Every member of every user, pulled one at a time: a page of users or of members is requested only when the
 * members already fetched have all been handed out.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { concatWith, defer, finalize, ignoreElements, of, share, tap, type Observable } from 'rxjs';
import type { MxClient } from '../api/client.js';
import type { MemberRef } from '../api/refs.js';
import type { MxError } from '../core/errors.js';

/** What {@link MemberCursor.next$} hands out. */
export type CursorItem = { readonly kind: 'item'; readonly ref: MemberRef } | { readonly kind: 'end' };

/** A pull-based cursor over members. */
export interface MemberCursor {
  /** Emits the next member (fetching a page if needed) or `end`, then completes. Safe to call concurrently. */
  readonly next$: Observable<CursorItem>;
  /** The listing error that ended the cursor early, if any. */
  readonly error: () => MxError | undefined;
}

/** Page sizes of the lazy listing. */
export const CURSOR_PAGE_SIZE = { users: 100, members: 100 } as const;

/**
 * A cursor over every member of every user (`GET /users`, then `GET /users/{u}/members` per user), holding at
 * most one page of users and one page of members. A failed page ends it (see `error()`).
 */
export const allMembersCursor = (client: MxClient): MemberCursor => {
  const users: string[] = [];
  const members: MemberRef[] = [];
  let userPage = 0;
  let userPages = Infinity;
  let current: { userGuid: string; page: number; pages: number } | undefined;
  let error: MxError | undefined;
  let inflight: Observable<never> | undefined;

  const exhausted = () =>
    error !== undefined || (members.length === 0 && current === undefined && users.length === 0 && userPage >= userPages);

  /** Fetches exactly one page (members of the current user, or the next page of users). */
  const fetchOne$ = (): Observable<never> =>
    defer(() => {
      if (current === undefined && users.length > 0) current = { userGuid: users.shift()!, page: 0, pages: Infinity };
      if (current !== undefined) {
        const c = current;
        return client.members.list$({ userGuid: c.userGuid }, { page: c.page + 1, recordsPerPage: CURSOR_PAGE_SIZE.members }).pipe(
          tap((r) => {
            if (E.isLeft(r)) {
              error = r.left;
              return;
            }
            c.page += 1;
            c.pages = r.right.pagination.total_pages;
            members.push(...r.right.items.map((m) => ({ userGuid: c.userGuid, memberGuid: m.guid })));
            if (r.right.items.length === 0 || c.page >= c.pages) current = undefined;
          }),
          ignoreElements(),
        );
      }
      return client.users.list$({ page: userPage + 1, recordsPerPage: CURSOR_PAGE_SIZE.users }).pipe(
        tap((r) => {
          if (E.isLeft(r)) {
            error = r.left;
            return;
          }
          userPage += 1;
          userPages = r.right.items.length === 0 ? userPage : r.right.pagination.total_pages;
          users.push(...r.right.items.map((u) => u.guid));
        }),
        ignoreElements(),
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

  return { next$, error: () => error };
};
