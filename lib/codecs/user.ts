/**
 * The MX user object (`UserResponse` in the spec).
 *
 * @module
 */
import * as t from 'io-ts';
import { nullable } from './nullable.js';

/**
 * An MX user: `guid` (USR-…) is required; everything else is optional and nullable; unknown fields pass through.
 *
 * @example
 * ```ts
 * import { User } from './user.js';
 * User.decode({ guid: 'USR-1', id: 'customer-42', email: null }); // right({ … })
 * ```
 */
export const User = t.intersection(
  [
    t.type({ guid: t.string }),
    t.partial({
      id: nullable(t.string),
      email: nullable(t.string),
      is_disabled: nullable(t.boolean),
      metadata: nullable(t.string),
    }),
  ],
  'User',
);
/**
 * A decoded {@link User}.
 *
 * @example
 * ```ts
 * import type { User } from 'mx-statements-rx';
 * const u: User = { guid: 'USR-1', id: 'customer-42' };
 * ```
 */
export type User = t.TypeOf<typeof User>;
