/**
 * The io-ts codecs of the MX objects this library reads, the request body builders, and decoding helpers.
 * Browser-safe (no Node imports).
 *
 * @module
 */
export { User } from './user.js';
export {
  Institution, KNOWN_SUPPORTED_PRODUCTS, SupportedProduct, isKnownSupportedProduct, supportsStatements,
  type KnownSupportedProduct,
} from './institution.js';
export { OAuthWindow, OAuthWindowResponseBody } from './oauth-window.js';
export { Credential } from './credential.js';
export { Pagination } from './pagination.js';
export { Statement } from './statement.js';
export { JobGuid, Member } from './member.js';
export { MemberStatus } from './member-status.js';
export {
  Challenge,
  ChallengeImageOption,
  ChallengeOption,
  ChallengeType,
  KNOWN_CHALLENGE_TYPES,
  isKnownChallengeType,
  type KnownChallengeType,
} from './challenge.js';
export {
  ConnectionStatus,
  KNOWN_CONNECTION_STATUSES,
  classifyConnectionStatus,
  isKnownConnectionStatus,
  type ConnectionStatusClass,
  type KnownConnectionStatus,
} from './connection-status.js';
export {
  ChallengesResponseBody,
  CredentialsResponseBody,
  InstitutionResponseBody,
  InstitutionsResponseBody,
  MemberResponseBody,
  MemberStatusResponseBody,
  MembersResponseBody,
  StatementResponseBody,
  StatementsResponseBody,
  UserResponseBody,
  UsersResponseBody,
} from './envelopes.js';
export {
  CredentialRequest,
  DataRequest,
  MemberCreateRequestBody,
  MemberResumeRequestBody,
  MemberUpdateRequestBody,
  ReferralSource,
  UseCase,
  UserCreateRequestBody,
  memberCreateBody,
  memberResumeBody,
  memberUpdateBody,
  userCreateBody,
  type ChallengeAnswer,
  type MemberCreateExtras,
  type MemberCreateFields,
  type MemberOptionFields,
  type MemberUpdateFields,
  type UserCreateFields,
} from './requests.js';
export { decodeBody, parseJsonBody } from './decode.js';
export { MAX_REPORT_LINES, previewValue, reportErrors, summarizeErrors } from './report.js';
