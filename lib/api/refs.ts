/**
 * How the endpoints name a user, a member and a statement: by MX's guids (both versions), or, in v20250224, by
 * the ids you gave them (`user_identifier`, `member_identifier` in its spec). Statement paths stay guid-only in
 * both versions.
 *
 * @module
 */
import { DEFAULT_API_VERSION, type MxApiVersion } from '../core/config.js';
import { apiPath } from '../http/path.js';

/**
 * Names one user by MX's guid.
 *
 * @example
 * ```ts
 * import type { UserRef } from 'mx-statements-rx';
 * const u: UserRef = { userGuid: 'USR-1' };
 * ```
 */
export interface UserRef {
  readonly userGuid: string;
}
/**
 * Names one member of one user by MX's guids: what every endpoint (and a sync input) accepts.
 *
 * @example
 * ```ts
 * import type { MemberRef } from 'mx-statements-rx';
 * const m: MemberRef = { userGuid: 'USR-1', memberGuid: 'MBR-1' };
 * ```
 */
export interface MemberRef extends UserRef {
  readonly memberGuid: string;
}
/**
 * Names one statement of one member.
 *
 * @example
 * ```ts
 * import type { StatementRef } from 'mx-statements-rx';
 * const s: StatementRef = { userGuid: 'USR-1', memberGuid: 'MBR-1', statementGuid: 'STA-1' };
 * ```
 */
export interface StatementRef extends MemberRef {
  readonly statementGuid: string;
}

/**
 * A user by the `id` you created it with. API version v20250224 only: v20111101 paths take guids.
 *
 * @example
 * ```ts
 * import type { UserIdRef } from 'mx-statements-rx';
 * const u: UserIdRef = { userId: 'customer-42' };
 * ```
 */
export interface UserIdRef {
  readonly userId: string;
}

/**
 * A user by guid, or (v20250224) by your own id. When both are given, the guid is used.
 *
 * @example
 * ```ts
 * import type { UserKey } from 'mx-statements-rx';
 * const byGuid: UserKey = { userGuid: 'USR-1' };
 * const byId: UserKey = { userId: 'customer-42' }; // v20250224
 * ```
 */
export type UserKey = UserRef | UserIdRef;

/**
 * A member by guids, or (v20250224) by your own ids, in any mix: what the member-scoped endpoints (read,
 * status, resume, challenges, fetch_statements, oauth_window_uri, …) accept. When both are given, guids are used.
 *
 * @example
 * ```ts
 * import type { MemberKey } from 'mx-statements-rx';
 * const byGuids: MemberKey = { userGuid: 'USR-1', memberGuid: 'MBR-1' };
 * const byIds: MemberKey = { userId: 'customer-42', memberId: 'customer-42-mxbank' }; // v20250224
 * ```
 */
export type MemberKey = UserKey & ({ readonly memberGuid: string } | { readonly memberId: string });

const idOnly = (what: string, version: MxApiVersion): never => {
  throw new TypeError(`${what}: API version ${version} addresses it by MX's guid only; ids work in v20250224`);
};

/**
 * The path segment of a user: its guid, or its id in v20250224. Throws a `TypeError` (a bug) for an id in v20111101.
 *
 * @example
 * ```ts
 * import { userSegment } from './refs.js';
 * userSegment({ userId: 'customer-42' }, 'v20250224'); // 'customer-42'
 * ```
 */
export const userSegment = (key: UserKey, version: MxApiVersion = DEFAULT_API_VERSION): string => {
  if ('userGuid' in key && typeof key.userGuid === 'string') return key.userGuid;
  if ('userId' in key && typeof key.userId === 'string') return version === 'v20250224' ? key.userId : idOnly('userId', version);
  throw new TypeError('give a user as { userGuid } or, in v20250224, { userId } (a non-empty string)');
};

/**
 * The path segment of a member: its guid, or its id in v20250224.
 *
 * @example
 * ```ts
 * import { memberSegment } from './refs.js';
 * memberSegment({ userGuid: 'USR-1', memberGuid: 'MBR-1' }); // 'MBR-1'
 * ```
 */
export const memberSegment = (key: MemberKey, version: MxApiVersion = DEFAULT_API_VERSION): string => {
  if ('memberGuid' in key && typeof key.memberGuid === 'string') return key.memberGuid;
  if ('memberId' in key && typeof key.memberId === 'string') return version === 'v20250224' ? key.memberId : idOnly('memberId', version);
  throw new TypeError('give a member as { memberGuid } or, in v20250224, { memberId } (a non-empty string)');
};

/**
 * The path of a user, `/users/{user}`, its segment encoded.
 *
 * @example
 * ```ts
 * import { userPath } from './refs.js';
 * userPath({ userGuid: 'USR-1' }); // '/users/USR-1'
 * ```
 */
export const userPath = (key: UserKey, version: MxApiVersion = DEFAULT_API_VERSION): string =>
  apiPath`/users/${userSegment(key, version)}`;

/**
 * The path of a member, `/users/{user}/members/{member}`, each segment encoded: guids, or in v20250224 your ids.
 *
 * @example
 * ```ts
 * import { memberPath } from './refs.js';
 * memberPath({ userGuid: 'USR-1', memberGuid: 'MBR-1' }); // '/users/USR-1/members/MBR-1'
 * memberPath({ userId: 'customer 42', memberGuid: 'MBR-1' }, 'v20250224'); // '/users/customer%2042/members/MBR-1'
 * ```
 */
export const memberPath = (key: MemberKey, version: MxApiVersion = DEFAULT_API_VERSION): string =>
  `${userPath(key, version)}${apiPath`/members/${memberSegment(key, version)}`}`;

/**
 * The path of a member's statements, `/users/{user_guid}/members/{member_guid}/statements`: guids in every version.
 *
 * @example
 * ```ts
 * import { statementsPath } from './refs.js';
 * statementsPath({ userGuid: 'USR-1', memberGuid: 'MBR-1' }); // '/users/USR-1/members/MBR-1/statements'
 * ```
 */
export const statementsPath = ({ userGuid, memberGuid }: MemberRef): string =>
  apiPath`/users/${userGuid}/members/${memberGuid}/statements`;
