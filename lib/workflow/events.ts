/**
 * The events of the statement workflow, in workflow order. Every event is plain JSON (no `Date`, no bytes, no
 * functions) and carries no secret: no credential value, no MFA answer, no API key.
 *
 * @module
 */
import type { Challenge, Credential, Statement } from '../codecs/index.js';

/**
 * The user to work under is known: created now, found by your `id`, or given by `guid`.
 *
 * @example
 * ```ts
 * import type { UserReadyEvent, StatementEvent } from 'mx-statements-rx';
 * const isUserReadyEvent = (ev: StatementEvent): ev is UserReadyEvent => ev.type === 'user-ready';
 * ```
 */
export interface UserReadyEvent {
  readonly type: 'user-ready';
  readonly userGuid: string;
  /** Your own id, when the user has one. */
  readonly userId: string | null;
  /** `true` when this run created the user; `false` when it already existed (409 on create) or was given. */
  readonly created: boolean;
}

/**
 * The institution was found (by `code`, or by a name search among institutions with statements).
 *
 * @example
 * ```ts
 * import type { InstitutionFoundEvent, StatementEvent } from 'mx-statements-rx';
 * const isInstitutionFoundEvent = (ev: StatementEvent): ev is InstitutionFoundEvent => ev.type === 'institution-found';
 * ```
 */
export interface InstitutionFoundEvent {
  readonly type: 'institution-found';
  readonly code: string;
  readonly name: string | null;
}

/**
 * One credential field an institution asks for: what a UI needs to prompt, never a value.
 *
 * @example
 * ```ts
 * import type { CredentialField } from 'mx-statements-rx';
 * const f: CredentialField = { guid: 'CRD-1', fieldName: 'LOGIN', label: 'Username', type: 'TEXT', displayOrder: 1 };
 * ```
 */
export interface CredentialField {
  readonly guid: string;
  readonly fieldName: string | null;
  readonly label: string | null;
  readonly type: string | null;
  readonly displayOrder: number | null;
}

/**
 * The institution's credential fields (in display order). The values are gathered next, never emitted.
 *
 * @example
 * ```ts
 * import type { CredentialsRequiredEvent, StatementEvent } from 'mx-statements-rx';
 * const isCredentialsRequiredEvent = (ev: StatementEvent): ev is CredentialsRequiredEvent => ev.type === 'credentials-required';
 * ```
 */
export interface CredentialsRequiredEvent {
  readonly type: 'credentials-required';
  readonly institutionCode: string;
  readonly fields: ReadonlyArray<CredentialField>;
}

/**
 * The member exists: created now (`reused: false`), or the user's existing one for that institution after a 409.
 *
 * @example
 * ```ts
 * import type { MemberReadyEvent, StatementEvent } from 'mx-statements-rx';
 * const isMemberReadyEvent = (ev: StatementEvent): ev is MemberReadyEvent => ev.type === 'member-ready';
 * ```
 */
export interface MemberReadyEvent {
  readonly type: 'member-ready';
  readonly userGuid: string;
  readonly memberGuid: string;
  readonly institutionCode: string;
  readonly reused: boolean;
}

/**
 * `POST fetch_statements` was accepted. `joined`: a statements job was already running and this run follows it.
 *
 * @example
 * ```ts
 * import type { StatementsJobStartedEvent, StatementEvent } from 'mx-statements-rx';
 * const isStatementsJobStartedEvent = (ev: StatementEvent): ev is StatementsJobStartedEvent => ev.type === 'statements-job-started';
 * ```
 */
export interface StatementsJobStartedEvent {
  readonly type: 'statements-job-started';
  readonly userGuid: string;
  readonly memberGuid: string;
  readonly joined: boolean;
  /** How many times a 409 (another job running) made the run wait before starting. */
  readonly waitedForOtherJobs: number;
}

/**
 * One status poll. `nextDelayMs` is the wait before the next poll, `null` when this poll ended the phase.
 *
 * @example
 * ```ts
 * import type { StatusEvent, StatementEvent } from 'mx-statements-rx';
 * const isStatusEvent = (ev: StatementEvent): ev is StatusEvent => ev.type === 'status';
 * ```
 */
export interface StatusEvent {
  readonly type: 'status';
  readonly memberGuid: string;
  readonly connectionStatus: string | null;
  readonly isBeingAggregated: boolean | null;
  /** 1-based, counting every poll of this run. */
  readonly attempt: number;
  readonly nextDelayMs: number | null;
}

/**
 * The member is CHALLENGED: answer `challenges` on the `mfa` subject (round 1, 2, … for follow-up questions).
 *
 * @example
 * ```ts
 * import type { ChallengedEvent, StatementEvent } from 'mx-statements-rx';
 * const isChallengedEvent = (ev: StatementEvent): ev is ChallengedEvent => ev.type === 'challenged';
 * ```
 */
export interface ChallengedEvent {
  readonly type: 'challenged';
  readonly memberGuid: string;
  readonly round: number;
  /** MX's challenge objects as sent (TEXT, TOKEN, OPTIONS, IMAGE_DATA, IMAGE_OPTIONS with options and images). */
  readonly challenges: ReadonlyArray<Challenge>;
}

/**
 * Answers were sent (`PUT /resume`). Names the challenge guids only, never the answers.
 *
 * @example
 * ```ts
 * import type { ChallengeAnsweredEvent, StatementEvent } from 'mx-statements-rx';
 * const isChallengeAnsweredEvent = (ev: StatementEvent): ev is ChallengeAnsweredEvent => ev.type === 'challenge-answered';
 * ```
 */
export interface ChallengeAnsweredEvent {
  readonly type: 'challenge-answered';
  readonly memberGuid: string;
  readonly round: number;
  readonly challengeGuids: ReadonlyArray<string>;
}

/**
 * The statements job ended well: `CONNECTED` and `is_being_aggregated: false`.
 *
 * @example
 * ```ts
 * import type { ConnectedEvent, StatementEvent } from 'mx-statements-rx';
 * const isConnectedEvent = (ev: StatementEvent): ev is ConnectedEvent => ev.type === 'connected';
 * ```
 */
export interface ConnectedEvent {
  readonly type: 'connected';
  readonly memberGuid: string;
  /** Polls this run made in all. */
  readonly polls: number;
  /** MFA rounds answered in this run. */
  readonly mfaRounds: number;
}

/**
 * One statement of the member (every page is listed).
 *
 * @example
 * ```ts
 * import type { StatementListedEvent, StatementEvent } from 'mx-statements-rx';
 * const isStatementListedEvent = (ev: StatementEvent): ev is StatementListedEvent => ev.type === 'statement-listed';
 * ```
 */
export interface StatementListedEvent {
  readonly type: 'statement-listed';
  readonly memberGuid: string;
  readonly statement: Statement;
}

/**
 * Download progress of one statement (only with `download.progress: true`).
 *
 * @example
 * ```ts
 * import type { StatementProgressEvent, StatementEvent } from 'mx-statements-rx';
 * const isStatementProgressEvent = (ev: StatementEvent): ev is StatementProgressEvent => ev.type === 'statement-progress';
 * ```
 */
export interface StatementProgressEvent {
  readonly type: 'statement-progress';
  readonly memberGuid: string;
  readonly statementGuid: string;
  readonly received: number;
  readonly contentLength: number | null;
}

/**
 * A statement was downloaded, verified (`%PDF-`, length, SHA-256) and stored by the sink.
 *
 * @example
 * ```ts
 * import type { StatementDownloadedEvent, StatementEvent } from 'mx-statements-rx';
 * const isStatementDownloadedEvent = (ev: StatementEvent): ev is StatementDownloadedEvent => ev.type === 'statement-downloaded';
 * ```
 */
export interface StatementDownloadedEvent {
  readonly type: 'statement-downloaded';
  readonly memberGuid: string;
  readonly statementGuid: string;
  readonly bytes: number;
  /** Lowercase hex SHA-256 of the stored bytes (equal to `content_hash` when MX sent one). */
  readonly sha256: string;
  /** Where the sink put it (a file path, a key, `memory:…`). */
  readonly location: string;
  /**
   * Present (true) only when MX sent no usable `content_hash` and the run allowed that
   * (`download.requireContentHash: false`): `%PDF-` and length were checked, the SHA-256 could not be.
   */
  readonly unverified?: true;
}

/**
 * A statement was already stored and verified (and its hash still matches `content_hash`): not downloaded again.
 *
 * @example
 * ```ts
 * import type { StatementSkippedEvent, StatementEvent } from 'mx-statements-rx';
 * const isStatementSkippedEvent = (ev: StatementEvent): ev is StatementSkippedEvent => ev.type === 'statement-skipped';
 * ```
 */
export interface StatementSkippedEvent {
  readonly type: 'statement-skipped';
  readonly memberGuid: string;
  readonly statementGuid: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly location: string;
  /** Present (true) only when the stored copy was kept without a `content_hash` to check it against. */
  readonly unverified?: true;
}

/**
 * What one run did, in numbers.
 *
 * @example
 * ```ts
 * import type { DoneEvent } from 'mx-statements-rx';
 * const line = (ev: DoneEvent) => `${ev.summary.downloaded} of ${ev.summary.statements} downloaded`;
 * ```
 */
export interface RunSummary {
  readonly userGuid: string;
  readonly memberGuid: string;
  readonly statements: number;
  readonly downloaded: number;
  readonly skipped: number;
  /** Bytes downloaded by this run (skipped statements not counted). */
  readonly bytes: number;
  readonly polls: number;
  readonly mfaRounds: number;
  /** Whether PDFs were downloaded at all (`download: false` stops after listing). */
  readonly downloadEnabled: boolean;
}

/**
 * The last event of a successful run.
 *
 * @example
 * ```ts
 * import type { DoneEvent, StatementEvent } from 'mx-statements-rx';
 * const isDoneEvent = (ev: StatementEvent): ev is DoneEvent => ev.type === 'done';
 * ```
 */
export interface DoneEvent {
  readonly type: 'done';
  readonly summary: RunSummary;
}

/**
 * Every event of `fetchStatements$`, told apart by `type`, in workflow order: `user-ready`,
 * `institution-found`, `credentials-required`, `member-ready`, `statements-job-started`, `status`*,
 * (`challenged`, `challenge-answered`, `status`*)*, `connected`, `statement-listed`*,
 * (`statement-progress`* `statement-downloaded` | `statement-skipped`)*, `done`.
 *
 * @example
 * ```ts
 * import type { StatementEvent } from 'mx-statements-rx';
 * const line = (ev: StatementEvent): string => {
 *   switch (ev.type) {
 *     case 'status': return `poll ${ev.attempt}: ${ev.connectionStatus}`;
 *     case 'statement-downloaded': return `${ev.statementGuid} → ${ev.location}`;
 *     case 'done': return `done: ${ev.summary.downloaded} downloaded`;
 *     default: return ev.type;
 *   }
 * };
 * ```
 */
export type StatementEvent =
  | UserReadyEvent
  | InstitutionFoundEvent
  | CredentialsRequiredEvent
  | MemberReadyEvent
  | StatementsJobStartedEvent
  | StatusEvent
  | ChallengedEvent
  | ChallengeAnsweredEvent
  | ConnectedEvent
  | StatementListedEvent
  | StatementProgressEvent
  | StatementDownloadedEvent
  | StatementSkippedEvent
  | DoneEvent;

/**
 * The `type` values of {@link StatementEvent}.
 *
 * @example
 * ```ts
 * import type { StatementEventType } from 'mx-statements-rx';
 * const t: StatementEventType = 'statement-downloaded';
 * ```
 */
export type StatementEventType = StatementEvent['type'];

/**
 * The fields of a credential, for {@link CredentialsRequiredEvent}: labels and names, never values.
 *
 * @example
 * ```ts
 * import { credentialField } from 'mx-statements-rx';
 * credentialField({ guid: 'CRD-1', field_name: 'LOGIN', label: 'Username' }).fieldName; // 'LOGIN'
 * ```
 */
export const credentialField = (c: Credential): CredentialField => ({
  guid: c.guid,
  fieldName: c.field_name ?? null,
  label: c.label ?? null,
  type: c.type ?? c.field_type ?? null,
  displayOrder: c.display_order ?? null,
});
