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
