/**
 * Step 1: the user — created with your `id`, reused when that `id` already exists, or given by `guid`.
 *
 * @module
 */
import { catchError, defer, filter, map, of, take, throwError, throwIfEmpty, type Observable } from 'rxjs';
import { errorOf, unwrap } from './either.js';
import type { UserReadyEvent } from './events.js';
import type { UserSpec, WorkflowContext } from './input.js';
import { retryStep } from './retry-step.js';

/**
 * Emits one `user-ready`. With `{ id }`: `POST /users`; on 409 the user with that id is looked up (`GET
 * /users?id=…`, exact match, paging lazily) and reused; if none matches, the 409 stands. With `{ guid }`:
 * emitted as given, no request.
 */
export const resolveUser$ = (ctx: WorkflowContext, spec: UserSpec): Observable<UserReadyEvent> =>
  defer(() => {
    if ('guid' in spec) {
      if (typeof spec.guid !== 'string' || spec.guid === '') throw new TypeError('user.guid: must be a non-empty string');
      return of<UserReadyEvent>({ type: 'user-ready', userGuid: spec.guid, userId: null, created: false });
    }
    if (typeof spec.id !== 'string' || spec.id === '') throw new TypeError('user: give { id } or { guid } (non-empty strings)');
    const { users } = ctx.client;
    const created$ = defer(() => users.create$({ id: spec.id, email: spec.email, metadata: spec.metadata })).pipe(
      unwrap(),
      retryStep(ctx),
      map((u): UserReadyEvent => ({ type: 'user-ready', userGuid: u.guid, userId: u.id ?? spec.id, created: true })),
    );
    const existing$ = (conflict: unknown) =>
      users.all$({ id: spec.id }).pipe(
        unwrap(),
        filter((u) => u.id === spec.id),
        take(1),
        map((u): UserReadyEvent => ({ type: 'user-ready', userGuid: u.guid, userId: spec.id, created: false })),
        // Nothing matched: the 409 was about something else; report it.
        throwIfEmpty(() => conflict),
      );
    return created$.pipe(
      catchError((err: unknown) => (errorOf(err)?._tag === 'Conflict' ? existing$(err) : throwError(() => err))),
    );
  });
