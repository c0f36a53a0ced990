/**
 * Users: create (409 on a reused `id`), list (filters `id`, `email`, `is_disabled`), read, delete (by guid; in
 * v20250224 by your own `id` too).
 *
 * @module
 */
import { empty, json } from '../context.js';
import { paginate } from '../pagination.js';
import type { Route } from '../router.js';
import { userJson } from '../serialize.js';
import { userOf } from './refs.js';
import { optionalBoolean, optionalString, queryBoolean, wrapped } from '../validate.js';

/**
 * The user routes.
 *
 * @example
 * ```ts
 * import { Router } from '../router.js';
 * import { USER_ROUTES } from './users.js';
 *
 * const router = new Router([...USER_ROUTES]);
 * ```
 */
export const USER_ROUTES: ReadonlyArray<Route> = [
  {
    method: 'POST',
    path: '/users',
    operationId: 'createUser',
    produces: 'json',
    body: 'required',
    handle: (ctx, req) => {
      const u = wrapped(req.body, 'user');
      const id = optionalString(u, 'id', 'user');
      const email = optionalString(u, 'email', 'user');
      const metadata = optionalString(u, 'metadata', 'user', 4096);
      const isDisabled = optionalBoolean(u, 'is_disabled', 'user') ?? false;
      const user = {
        guid: ctx.ids.next('USR'),
        id: id ?? null,
        email: email ?? null,
        metadata: metadata ?? null,
        isDisabled,
        members: new Map(),
      };
      ctx.state.addUser(user);
      return json(200, { user: userJson(user, req.version) });
    },
  },
  {
    method: 'GET',
    path: '/users',
    operationId: 'listUsers',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      const id = req.query.get('id');
      const email = req.query.get('email');
      const disabled = queryBoolean(req.query, 'is_disabled');
      const users = ctx.state
        .allUsers()
        .filter((u) => (id === null || u.id === id) && (email === null || u.email === email))
        .filter((u) => disabled === undefined || u.isDisabled === disabled);
      const page = paginate(users, req.query, 1000);
      return json(200, { users: page.items.map((u) => userJson(u, req.version)), pagination: page.pagination });
    },
  },
  {
    method: 'GET',
    path: '/users/:user_guid',
    operationId: 'readUser',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => json(200, { user: userJson(userOf(ctx, req), req.version) }),
  },
  {
    method: 'DELETE',
    path: '/users/:user_guid',
    operationId: 'deleteUser',
    produces: 'json',
    body: 'none',
    handle: (ctx, req) => {
      for (const member of ctx.state.deleteUser(userOf(ctx, req).guid)) {
        ctx.jobs.cancel(member);
        ctx.oauth.forget(member.guid);
      }
      return empty(204);
    },
  },
];
