/**
 * The full route table, in matching order.
 *
 * @module
 */
import type { Route } from '../router.js';
import { INSTITUTION_ROUTES } from './institutions.js';
import { JOB_ROUTES } from './jobs.js';
import { MEMBER_ROUTES } from './members.js';
import { OAUTH_ROUTES } from './oauth.js';
import { STATEMENT_ROUTES } from './statements.js';
import { USER_ROUTES } from './users.js';

/**
 * Every route of the sandbox.
 *
 * @example
 * ```ts
 * import { ROUTES } from './index.js';
 *
 * ROUTES.map((r) => r.operationId); // ['createUser', 'listUsers', …]
 * ```
 */
export const ROUTES: ReadonlyArray<Route> = [
  ...USER_ROUTES,
  ...INSTITUTION_ROUTES,
  ...MEMBER_ROUTES,
  ...JOB_ROUTES,
  ...STATEMENT_ROUTES,
  ...OAUTH_ROUTES,
];
