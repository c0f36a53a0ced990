/**
 * Step 1: the user — created with your `id`, reused when that `id` already exists, or given by `guid`.
 *
 * @module
 */
import { catchError, defer, filter, map, of, take, throwError, throwIfEmpty, type Observable } from 'rxjs';
import type { UserKey } from '../api/refs.js';
import { errorOf, unwrap } from './either.js';
import type { UserReadyEvent } from './events.js';
import type { UserSpec, WorkflowContext } from './input.js';
import { retryStep } from './retry-step.js';

/** The user a run works under: its event, and how later requests name it. */
export interface ResolvedUser {
  readonly event: UserReadyEvent;
  /** Its guid, or (v20250224, an existing user) your id. */
  readonly key: UserKey;
}

/**
 * Emits one {@link ResolvedUser}. With `{ id }`: `POST /users`; on 409 the user with that id is reused — in
 * v20250224 addressed by that id (no request), in v20111101 looked up (`GET /users?id=…`, exact match, paging
 * lazily; if none matches, the 409 stands). With `{ guid }`: as given, no request.
 */
export const resolveUser$ = (ctx: WorkflowContext, spec: UserSpec): Observable<ResolvedUser> =>
  defer(() => {
    if ('guid' in spec) {
      if (typeof spec.guid !== 'string' || spec.guid === '') throw new TypeError('user.guid: must be a non-empty string');
      return of(byGuid(spec.guid, null, false));
    }
    if (typeof spec.id !== 'string' || spec.id === '') throw new TypeError('user: give { id } or { guid } (non-empty strings)');
    const { users } = ctx.client;
    const created$ = defer(() => users.create$({ id: spec.id, email: spec.email, metadata: spec.metadata })).pipe(
      unwrap(),
      retryStep(ctx),
      map((u) => byGuid(u.guid, u.id ?? spec.id, true)),
    );
    const existing$ = (conflict: unknown): Observable<ResolvedUser> =>
      ctx.client.config.apiVersion === 'v20250224'
        ? of({ event: { type: 'user-ready', userGuid: null, userId: spec.id, created: false }, key: { userId: spec.id } })
        : users.all$({ id: spec.id }).pipe(
          unwrap(),
          filter((u) => u.id === spec.id),
          take(1),
          map((u) => byGuid(u.guid, spec.id, false)),
          // Nothing matched: the 409 was about something else; report it.
          throwIfEmpty(() => conflict),
        );
    return created$.pipe(
      catchError((err: unknown) => (errorOf(err)?._tag === 'Conflict' ? existing$(err) : throwError(() => err))),
    );
  });

const byGuid = (userGuid: string, userId: string | null, created: boolean): ResolvedUser => ({
  event: { type: 'user-ready', userGuid, userId, created },
  key: { userGuid },
});
