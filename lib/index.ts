/**
 * mx-statements-rx — the isomorphic core: configuration, errors, codecs, the HTTP layer, the API endpoints and
 * the statement workflow. Runs in browsers and Node (no `node:` imports). Node-only parts live in
 * `mx-statements-rx/node` (the PDF sink) and `mx-statements-rx/sandbox` (the embedded MX sandbox).
 *
 * @packageDocumentation
 */

// core
export {
  MX_ENVIRONMENTS, MX_API_VERSIONS, DEFAULT_API_VERSION, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, MxConfigError, resolveConfig,
  type MxEnvironment, type MxApiVersion, type RetryNotice, type MxClientConfig, type ResolvedConfig, type RetryPolicy, type RateLimitPolicy,
  type FetchLike, type FetchInit, type FetchResponseLike, type ClientHints,
} from './core/config.js';
export {
  describeError, isMxError, isRetryable, httpStatusError, integrityError, tagForStatus, redactSecrets,
  type MxError, type MxErrorTag, type HttpError, type HttpStatusError, type WorkflowError, type RequestRef,
  type HttpStatusFields, type BadRequest, type Unauthorized, type Forbidden, type NotFound, type MethodNotAllowed,
  type NotAcceptable, type Conflict, type Unprocessable, type RateLimited, type ServerError, type UnexpectedStatus,
  type NetworkError, type Timeout, type DecodeError, type IntegrityError, type ConnectionFailed, type MfaTimeout,
  type MfaRequired, type MfaAnswerMismatch, type PollTimeout, type NoInstitution, type FileSystemError,
  type RedirectRefused, type DownloadLimitExceeded,
} from './core/errors.js';

// codecs
export * from './codecs/index.js';

// http
export { apiPath, withQuery, type QueryValue } from './http/path.js';
export { backoffDelay, type Backoff } from './http/backoff.js';
export { parseRetryAfter } from './http/retry-after.js';
export { retryDelayFor, isRetryableFor } from './http/retry-decision.js';
export {
  createRateLimiter, createPriorityLimiter, gcraClock, requestPriorityOf, REQUEST_PRIORITIES,
  type RateLimiter, type RateLimiterBacklog, type RequestPriority, type SlotClock,
} from './http/rate-limiter.js';
export { MX_JSON, MX_JSON_ACCEPT, MX_PDF, MX_SANDBOX_HEADER, MX_SANDBOX_HEADER_VALUE } from './http/media-types.js';
export { MAX_JSON_BYTES, type Transport, type ApiRequest, type ByteChunk, type JsonOptions } from './http/transport.js';

// api
export { createMxClient, type MxClient } from './api/client.js';
export type { UsersApi, UserListQuery } from './api/users.js';
export type { InstitutionsApi, InstitutionQuery } from './api/institutions.js';
export type { MembersApi, CallbackOptions, CreateMemberOptions, AggregateOptions, OAuthWindowOptions } from './api/members.js';
export type { ChallengesApi } from './api/challenges.js';
export type { StatementsApi } from './api/statements.js';
export type { UserRef, MemberRef, StatementRef, UserIdRef, UserKey, MemberKey } from './api/refs.js';
export { MAX_PAGES, type Page, type PageQuery } from './api/paging.js';

// workflow
export * from './workflow/index.js';
export { createSha256, sha256Hex, type Hasher, type HasherFactory } from './core/sha256.js';
export { secretForms } from './core/secret-forms.js';
export { nodeHttpAvailable } from './http/node-http-fetch.js';
export type { MissingCredentials } from './core/errors.js';
