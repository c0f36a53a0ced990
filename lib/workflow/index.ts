/**
 * The statement workflow: `fetchStatements$` for one member, `fetchStatementsForMany$` for a batch, the
 * polling operator, the PDF verification and an in-memory sink. Browser-safe (no Node imports).
 *
 * @module
 */
export { fetchStatements$ } from './fetch-statements.js';
export {
  fetchStatementsForMany$, needsUserAction, isTransientFailure, MAX_SUMMARY_PROBLEMS, DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_CONCURRENCY_WITHOUT_RATE_LIMIT, DEFAULT_BATCH_DEADLINE_MS, DEFAULT_MAX_PASSES, DEFAULT_PASS_DELAY_MS,
  type BatchInput, type BatchOptions, type BatchTarget, type BatchItem, type BatchMemberEvent, type BatchMemberDone,
  type BatchMemberRetry, type BatchListingRetry, type BatchListingFailed, type BatchSummary, type BatchProblem, type MemberOutcome,
} from './batch.js';
export type { CursorRetry } from './member-cursor.js';
export type { BatchListingSkipped, BatchListingDone } from './batch.js';
export type { CursorSkip } from './member-cursor.js';
export {
  credentialField,
  type StatementEvent, type StatementEventType, type UserReadyEvent, type InstitutionFoundEvent, type CredentialField,
  type CredentialsRequiredEvent, type MemberReadyEvent, type OAuthRequiredEvent, type StatementsJobStartedEvent, type StatusEvent,
  type ChallengedEvent, type ChallengeAnsweredEvent, type ConnectedEvent, type StatementsJobUnconfirmedEvent, type StatementListedEvent,
  type StatementProgressEvent, type StatementDownloadedEvent, type StatementSkippedEvent, type RunSummary, type DoneEvent,
} from './events.js';
export {
  isExistingMemberInput, DEFAULT_MFA_TIMEOUT_MS, DEFAULT_DOWNLOAD_CONCURRENCY, DEFAULT_OAUTH_PENDING_TIMEOUT_MS,
  type FetchStatementsInput, type NewMemberInput, type ExistingMemberInput, type WorkflowOptions, type DownloadOptions,
  type UserSpec, type InstitutionSpec, type CredentialsSpec, type CredentialValues, type MemberWakeup, type OAuthOptions,
  type OAuthCompletion,
} from './input.js';
export {
  MX_POLLING, SANDBOX_POLLING, WEBHOOK_FAILSAFE_POLLING, WEBHOOK_SILENCE_MS, basePollPolicy, pollDelay, resolvePollPolicy,
  type PollPolicy,
} from './policy.js';
export { jobBaseline, readJob, showsJobSince, type JobBaseline, type JobReading } from './job-evidence.js';
export { needsAuthorization } from './member.js';
export { addToRunSummary, emptyRunSummary, withRunSummary } from './run-summary.js';
export { pollMemberStatus$, type PollTick, type PollMemberStatusOptions } from './polling.js';
export { memberPhase, type MemberPhase } from './phase.js';
export { pickInstitution, MAX_INSTITUTION_CANDIDATES } from './institution.js';
export { matchCredentials } from './credentials.js';
export { checkAnswers, mfaRequired } from './mfa.js';
export { verifyPdf$, unverifiedRefusal, type VerifyOptions } from './verify.js';
export {
  DEFAULT_DOWNLOAD_SAFETY, usableContentHash, type DownloadSafetyOptions, type ResolvedDownloadSafety,
} from './download-limits.js';
export { createMemorySink, type MemorySink, type MemorySinkOptions, type MemoryStatement } from './memory-sink.js';
export type { StatementSink, DownloadEvent, DownloadTarget, SavedStatement } from './sink.js';
