import { apiPath } from '../http/path.js';

/** Names one user. */
export interface UserRef {
  readonly userGuid: string;
}
/** Names one member of one user: what every member endpoint (and a sync input) needs. */
export interface MemberRef extends UserRef {
  readonly memberGuid: string;
}
/** Names one statement of one member. */
export interface StatementRef extends MemberRef {
  readonly statementGuid: string;
}

/**
 * The path of a member, `/users/{user_guid}/members/{member_guid}`, each guid one encoded segment.
 *
 * @example
 * ```ts
 * import { memberPath } from './refs.js';
 * memberPath({ userGuid: 'USR-1', memberGuid: 'MBR-1' }); // '/users/USR-1/members/MBR-1'
 * ```
 */
export const memberPath = ({ userGuid, memberGuid }: MemberRef): string => apiPath`/users/${userGuid}/members/${memberGuid}`;
