/**
 * mx-statements-rx — the isomorphic core: the client (one cold stream per MX endpoint), the statement workflow,
 * the errors, and the in-memory sink. Runs in browsers and Node (no `node:` imports). Node-only parts live in
 * `mx-statements-rx/node` (the disk sink, webhooks, queues) and `mx-statements-rx/sandbox` (the embedded MX
 * sandbox); Angular apps add `mx-statements-rx/angular`, tests `mx-statements-rx/testing`.
 *
 * What is here is all an app needs; everything else of the library (codec values, HTTP helpers, the polling and
 * summary internals) stays inside it. `spec/dist/surface.spec.ts` pins this list.
 *
 * @packageDocumentation
 */

// ---- the client ------------------------------------------------------------------------------------------------
export { createMxClient, type MxClient } from './api/client.js';
export {
  MX_ENVIRONMENTS, MX_API_VERSIONS, DEFAULT_API_VERSION, MxConfigError,
  type MxClientConfig, type ResolvedConfig, type MxEnvironment, type MxApiVersion, type RetryPolicy, type RateLimitPolicy,
  type RetryNotice, type ClientHints, type FetchLike, type FetchInit, type FetchResponseLike,
} from './core/config.js';
export { createRateLimiter, type RateLimiter, type RateLimiterBacklog, type RequestPriority } from './http/rate-limiter.js';
export type { Transport, ApiRequest, ByteChunk, JsonOptions } from './http/transport.js';
export type { QueryValue } from './http/path.js';
export type { UsersApi, UserListQuery } from './api/users.js';
export type { InstitutionsApi, InstitutionQuery } from './api/institutions.js';
export type { MembersApi, CallbackOptions, CreateMemberOptions, AggregateOptions, OAuthWindowOptions } from './api/members.js';
export type { ChallengesApi } from './api/challenges.js';
export type { StatementsApi } from './api/statements.js';
export type { UserRef, MemberRef, StatementRef, UserIdRef, UserKey, MemberKey } from './api/refs.js';
export type { Page, PageQuery } from './api/paging.js';

// ---- MX's objects (types only: the io-ts codecs stay inside) -------------------------------------------------
export type { User } from './codecs/user.js';
export {
  supportsStatements, KNOWN_SUPPORTED_PRODUCTS, type Institution, type SupportedProduct, type KnownSupportedProduct,
} from './codecs/institution.js';
export type { Credential } from './codecs/credential.js';
export type { Member } from './codecs/member.js';
export type { MemberStatus } from './codecs/member-status.js';
export type { OAuthWindow } from './codecs/oauth-window.js';
export type { Statement } from './codecs/statement.js';
export type { Pagination } from './codecs/pagination.js';
export {
  KNOWN_CHALLENGE_TYPES, type Challenge, type ChallengeOption, type ChallengeImageOption, type ChallengeType, type KnownChallengeType,
} from './codecs/challenge.js';
export {
  classifyConnectionStatus, KNOWN_CONNECTION_STATUSES, type ConnectionStatus, type KnownConnectionStatus, type ConnectionStatusClass,
} from './codecs/connection-status.js';
export type {
  ChallengeAnswer, ReferralSource, UseCase, UserCreateFields, MemberCreateFields, MemberCreateExtras, MemberOptionFields,
  MemberUpdateFields,
} from './codecs/requests.js';

// ---- errors are values -----------------------------------------------------------------------------------------
export {
  describeError, isMxError, isRetryable,
  type MxError, type MxErrorTag, type TaggedError, type HttpError, type HttpStatusError, type WorkflowError, type RequestRef,
  type HttpStatusFields, type BadRequest, type Unauthorized, type Forbidden, type NotFound, type MethodNotAllowed,
  type NotAcceptable, type Conflict, type Unprocessable, type RateLimited, type ServerError, type UnexpectedStatus,
  type NetworkError, type Timeout, type RedirectRefused, type DecodeError, type IntegrityError, type ConnectionFailed,
  type MfaTimeout, type MfaRequired, type MfaAnswerMismatch, type PollTimeout, type NoInstitution, type MissingCredentials,
  type SinkFull, type DownloadLimitExceeded,
} from './core/errors.js';
export {
  rightOrThrow, errorToLeft, LeftError, isLeftError, type ObservableEither, type MxObservable,
} from './core/observable-either.js';

// ---- the statement workflow ------------------------------------------------------------------------------------
export { fetchStatements$ } from './workflow/fetch-statements.js';
export type {
  FetchStatementsInput, NewMemberInput, ExistingMemberInput, WorkflowOptions, DownloadOptions, UserSpec, InstitutionSpec,
  CredentialsSpec, CredentialValues, MemberWakeup, OAuthOptions, OAuthCompletion,
} from './workflow/input.js';
export type { DownloadSafetyOptions } from './workflow/download-limits.js';
export type { Hasher, HasherFactory } from './core/sha256.js';
export { MX_POLLING, SANDBOX_POLLING, WEBHOOK_FAILSAFE_POLLING, type PollPolicy } from './workflow/policy.js';
export type {
  StatementEvent, StatementEventType, UserReadyEvent, InstitutionFoundEvent, CredentialField, CredentialsRequiredEvent,
  MemberReadyEvent, OAuthRequiredEvent, StatementsJobStartedEvent, StatusEvent, ChallengedEvent, ChallengeAnsweredEvent,
  ConnectedEvent, StatementsJobUnconfirmedEvent, StatementListedEvent, StatementProgressEvent, StatementDownloadedEvent,
  StatementSkippedEvent, RunSummary, DoneEvent,
} from './workflow/events.js';

// ---- many members ----------------------------------------------------------------------------------------------
export {
  fetchStatementsForMany$, needsUserAction, isTransientFailure,
  type BatchInput, type BatchOptions, type BatchTarget, type BatchItem, type BatchMemberEvent, type BatchMemberDone,
  type BatchMemberRetry, type BatchListingRetry, type BatchListingFailed, type BatchSummary, type BatchProblem, type MemberOutcome,
} from './workflow/batch.js';
export type { CursorRetry } from './workflow/member-cursor.js';
export type { CursorSkip } from './workflow/member-cursor.js';
export type { BatchListingSkipped, BatchListingDone } from './workflow/batch.js';

// ---- where PDFs go ---------------------------------------------------------------------------------------------
export type { StatementSink, DownloadEvent, DownloadTarget, SavedStatement } from './workflow/sink.js';
export { createMemorySink, type MemorySink, type MemorySinkOptions, type MemoryStatement } from './workflow/memory-sink.js';
