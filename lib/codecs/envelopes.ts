/**
 * The JSON envelopes MX wraps its objects in (`…ResponseBody` in the spec): one object under its name, or a
 * list plus `pagination`. Unknown top-level fields pass through.
 *
 * @module
 */
import * as t from 'io-ts';
import { Challenge } from './challenge.js';
import { Credential } from './credential.js';
import { Institution } from './institution.js';
import { Member } from './member.js';
import { MemberStatus } from './member-status.js';
import { Pagination } from './pagination.js';
import { Statement } from './statement.js';
import { User } from './user.js';

/**
 * `{ user }`: createUser, readUser, updateUser.
 *
 * @example
 * ```ts
 * import { UserResponseBody } from './envelopes.js';
 * UserResponseBody.decode({ user: { guid: 'USR-1' } }); // right({ user: { guid: 'USR-1' } })
 * ```
 */
export const UserResponseBody = t.type({ user: User }, 'UserResponseBody');
/**
 * A decoded {@link UserResponseBody}.
 *
 * @example
 * ```ts
 * import type { UserResponseBody } from './envelopes.js';
 * const b: UserResponseBody = { user: { guid: 'USR-1' } };
 * ```
 */
export type UserResponseBody = t.TypeOf<typeof UserResponseBody>;

/**
 * `{ users, pagination }`: listUsers.
 *
 * @example
 * ```ts
 * import { UsersResponseBody } from './envelopes.js';
 * UsersResponseBody.decode({ users: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 } });
 * ```
 */
export const UsersResponseBody = t.type({ users: t.array(User), pagination: Pagination }, 'UsersResponseBody');
/**
 * A decoded {@link UsersResponseBody}.
 *
 * @example
 * ```ts
 * import type { UsersResponseBody } from './envelopes.js';
 * const b: UsersResponseBody = { users: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 } };
 * ```
 */
export type UsersResponseBody = t.TypeOf<typeof UsersResponseBody>;

/**
 * `{ institution }`: readInstitution.
 *
 * @example
 * ```ts
 * import { InstitutionResponseBody } from './envelopes.js';
 * InstitutionResponseBody.decode({ institution: { code: 'mxbank' } });
 * ```
 */
export const InstitutionResponseBody = t.type({ institution: Institution }, 'InstitutionResponseBody');
/**
 * A decoded {@link InstitutionResponseBody}.
 *
 * @example
 * ```ts
 * import type { InstitutionResponseBody } from './envelopes.js';
 * const b: InstitutionResponseBody = { institution: { code: 'mxbank' } };
 * ```
 */
export type InstitutionResponseBody = t.TypeOf<typeof InstitutionResponseBody>;

/**
 * `{ institutions, pagination }`: listInstitutions.
 *
 * @example
 * ```ts
 * import { InstitutionsResponseBody } from './envelopes.js';
 * InstitutionsResponseBody.decode({ institutions: [{ code: 'mxbank' }], pagination: { current_page: 1, per_page: 25, total_entries: 1, total_pages: 1 } });
 * ```
 */
export const InstitutionsResponseBody = t.type(
  { institutions: t.array(Institution), pagination: Pagination },
  'InstitutionsResponseBody',
);
/**
 * A decoded {@link InstitutionsResponseBody}.
 *
 * @example
 * ```ts
 * import type { InstitutionsResponseBody } from './envelopes.js';
 * const b: InstitutionsResponseBody = { institutions: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 } };
 * ```
 */
export type InstitutionsResponseBody = t.TypeOf<typeof InstitutionsResponseBody>;

/**
 * `{ credentials, pagination }`: listInstitutionCredentials.
 *
 * @example
 * ```ts
 * import { CredentialsResponseBody } from './envelopes.js';
 * CredentialsResponseBody.decode({ credentials: [{ guid: 'CRD-1', field_name: 'LOGIN' }], pagination: { current_page: 1, per_page: 25, total_entries: 1, total_pages: 1 } });
 * ```
 */
export const CredentialsResponseBody = t.type(
  { credentials: t.array(Credential), pagination: Pagination },
  'CredentialsResponseBody',
);
/**
 * A decoded {@link CredentialsResponseBody}.
 *
 * @example
 * ```ts
 * import type { CredentialsResponseBody } from './envelopes.js';
 * const b: CredentialsResponseBody = { credentials: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 } };
 * ```
 */
export type CredentialsResponseBody = t.TypeOf<typeof CredentialsResponseBody>;

/**
 * `{ member }`: createMember, readMember, updateMember, aggregateMember, fetchStatements, resumeAggregation.
 *
 * @example
 * ```ts
 * import { MemberResponseBody } from './envelopes.js';
 * MemberResponseBody.decode({ member: { guid: 'MBR-1', connection_status: 'CREATED' } });
 * ```
 */
export const MemberResponseBody = t.type({ member: Member }, 'MemberResponseBody');
/**
 * A decoded {@link MemberResponseBody}.
 *
 * @example
 * ```ts
 * import type { MemberResponseBody } from './envelopes.js';
 * const b: MemberResponseBody = { member: { guid: 'MBR-1' } };
 * ```
 */
export type MemberResponseBody = t.TypeOf<typeof MemberResponseBody>;

/**
 * `{ members, pagination }`: listMembers.
 *
 * @example
 * ```ts
 * import { MembersResponseBody } from './envelopes.js';
 * MembersResponseBody.decode({ members: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 } });
 * ```
 */
export const MembersResponseBody = t.type({ members: t.array(Member), pagination: Pagination }, 'MembersResponseBody');
/**
 * A decoded {@link MembersResponseBody}.
 *
 * @example
 * ```ts
 * import type { MembersResponseBody } from './envelopes.js';
 * const b: MembersResponseBody = { members: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 } };
 * ```
 */
export type MembersResponseBody = t.TypeOf<typeof MembersResponseBody>;

/**
 * `{ member }` with the status shape: readMemberStatus.
 *
 * @example
 * ```ts
 * import { MemberStatusResponseBody } from './envelopes.js';
 * MemberStatusResponseBody.decode({ member: { guid: 'MBR-1', connection_status: 'CONNECTED', is_being_aggregated: false } });
 * ```
 */
export const MemberStatusResponseBody = t.type({ member: MemberStatus }, 'MemberStatusResponseBody');
/**
 * A decoded {@link MemberStatusResponseBody}.
 *
 * @example
 * ```ts
 * import type { MemberStatusResponseBody } from './envelopes.js';
 * const b: MemberStatusResponseBody = { member: { guid: 'MBR-1', connection_status: 'CHALLENGED' } };
 * ```
 */
export type MemberStatusResponseBody = t.TypeOf<typeof MemberStatusResponseBody>;

/**
 * `{ challenges, pagination }`: listMemberChallenges (its 204 has no body; the API layer maps it to no
 * challenges).
 *
 * @example
 * ```ts
 * import { ChallengesResponseBody } from './envelopes.js';
 * ChallengesResponseBody.decode({ challenges: [{ guid: 'CRD-1', type: 'TEXT' }], pagination: { current_page: 1, per_page: 25, total_entries: 1, total_pages: 1 } });
 * ```
 */
export const ChallengesResponseBody = t.type(
  { challenges: t.array(Challenge), pagination: Pagination },
  'ChallengesResponseBody',
);
/**
 * A decoded {@link ChallengesResponseBody}.
 *
 * @example
 * ```ts
 * import type { ChallengesResponseBody } from './envelopes.js';
 * const b: ChallengesResponseBody = { challenges: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 } };
 * ```
 */
export type ChallengesResponseBody = t.TypeOf<typeof ChallengesResponseBody>;

/**
 * `{ statement }`: readStatementByMember.
 *
 * @example
 * ```ts
 * import { StatementResponseBody } from './envelopes.js';
 * StatementResponseBody.decode({ statement: { guid: 'STA-1' } });
 * ```
 */
export const StatementResponseBody = t.type({ statement: Statement }, 'StatementResponseBody');
/**
 * A decoded {@link StatementResponseBody}.
 *
 * @example
 * ```ts
 * import type { StatementResponseBody } from './envelopes.js';
 * const b: StatementResponseBody = { statement: { guid: 'STA-1' } };
 * ```
 */
export type StatementResponseBody = t.TypeOf<typeof StatementResponseBody>;

/**
 * `{ statements, pagination }`: listStatementsByMember.
 *
 * @example
 * ```ts
 * import { StatementsResponseBody } from './envelopes.js';
 * StatementsResponseBody.decode({ statements: [{ guid: 'STA-1' }], pagination: { current_page: 1, per_page: 25, total_entries: 1, total_pages: 1 } });
 * ```
 */
export const StatementsResponseBody = t.type(
  { statements: t.array(Statement), pagination: Pagination },
  'StatementsResponseBody',
);
/**
 * A decoded {@link StatementsResponseBody}.
 *
 * @example
 * ```ts
 * import type { StatementsResponseBody } from './envelopes.js';
 * const b: StatementsResponseBody = { statements: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 } };
 * ```
 */
export type StatementsResponseBody = t.TypeOf<typeof StatementsResponseBody>;
