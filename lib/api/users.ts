import type * as E from 'fp-ts/lib/Either.js';
import { defer, map, type Observable } from 'rxjs';
import type { MxApiVersion } from '../core/config.js';
import type { MxError } from '../core/errors.js';
import { UserResponseBody, UsersResponseBody, userCreateBody, type User, type UserCreateFields } from '../codecs/index.js';
import { withQuery } from '../http/path.js';
import type { Transport } from '../http/transport.js';
import { allPages, pageParams, toPage, type Page, type PageQuery } from './paging.js';
import { userPath, type UserKey } from './refs.js';
import * as Ei from './either.js';
import type { MxObservable } from '../core/observable-either.js';

/** Filters of the list-users endpoint. */
export interface UserListQuery extends PageQuery {
  /** Your own id: finds the user created with it. */
  readonly id?: string;
  readonly email?: string;
  readonly isDisabled?: boolean;
}

/** The user endpoints. Every method is cold: one request per subscription, aborted on unsubscribe. */
export interface UsersApi {
  /** `POST /users` — create a user (`id` is your own identifier; a reused `id` answers `Conflict`). */
  create$(user: UserCreateFields): MxObservable<User>;
  /** `GET /users` — one page of users, filtered. */
  list$(query?: UserListQuery): MxObservable<Page<User>>;
  /** Every user, one at a time, paging lazily (1000 per page unless `recordsPerPage` says otherwise). */
  all$(query?: Omit<UserListQuery, 'page'>): MxObservable<User>;
  /** `GET /users/{user}` — one user, by guid or (v20250224) by your id. */
  read$(user: UserKey): MxObservable<User>;
  /** `DELETE /users/{user}` — permanently delete a user and all its data. */
  delete$(user: UserKey): MxObservable<void>;
}

/** Binds the user endpoints to a transport speaking `version`. */
export const usersApi = (http: Transport, version: MxApiVersion): UsersApi => {
  const list$ = (q?: UserListQuery) =>
    http.json$(
      { method: 'GET', path: withQuery('/users', { ...pageParams(q), id: q?.id, email: q?.email, is_disabled: q?.isDisabled }) },
      UsersResponseBody,
    ).pipe(map(Ei.map((b) => toPage(b.users, b.pagination))));
  return {
    create$: (user) =>
      http.json$({ method: 'POST', path: '/users', body: userCreateBody(user) }, UserResponseBody).pipe(map(Ei.map((b) => b.user))),
    list$,
    all$: (q) => allPages((page) => list$({ recordsPerPage: 1000, ...q, page })),
    read$: (user) =>
      defer(() => http.json$({ method: 'GET', path: userPath(user, version) }, UserResponseBody)).pipe(map(Ei.map((b) => b.user))),
    delete$: (user) =>
      defer(() => http.empty$({ method: 'DELETE', path: userPath(user, version) })).pipe(map(Ei.map(() => undefined))),
  };
};
