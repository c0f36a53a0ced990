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
  /**
   * MX's guid of the user. `null` only in API version v20250224 when the user already existed (409): the run
   * then addresses it by your `userId` and saves the lookup; `member-ready` names the guid.
   */
  readonly userGuid: string | null;
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
 * An OAuth member needs its person: open `url` (a fresh, one-time OAuth window) in a new browser window or the
 * system browser — never a webview — and sign in at the bank. The run waits meanwhile (the member is PENDING,
 * which is not a failure) for up to `oauth.pendingTimeoutMs`, then goes on by itself once the bank authorized.
 * Not emitted for an OAuth member that is already connected.
 *
 * @example
 * ```ts
 * import type { OAuthRequiredEvent, StatementEvent } from 'mx-statements-rx';
 * const isOAuthRequiredEvent = (ev: StatementEvent): ev is OAuthRequiredEvent => ev.type === 'oauth-required';
 * ```
 */
export interface OAuthRequiredEvent {
  readonly type: 'oauth-required';
  readonly userGuid: string;
  readonly memberGuid: string;
  readonly institutionCode: string;
  /** The one-time OAuth window (an `https:` URL; `http:` only from a loopback sandbox). */
  readonly url: string;
}

/**
 * `POST fetch_statements` was accepted. `joined`: the 202 showed the member already aggregating (a statements
 * job was running, e.g. one started by creating the member) and this run follows that job.
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
 * The statements job ended well: `CONNECTED` and `is_being_aggregated: false`, with evidence that this job ran
 * (the member was seen aggregating, or its timestamps or status moved since the job was accepted), never on the
 * previous job's stale CONNECTED.
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
 * MX accepted the statements job (202) but, within the polling policy's `jobStartGraceMs`, showed no sign that
 * a job ran: never aggregating, and `aggregated_at`, `successfully_aggregated_at` and the status unchanged. Most
 * likely MX's answer to a request made "too soon" after the last successful aggregation (about three hours;
 * MX Bank has no such limit), which starts nothing. The run does not retry: it goes on to list what MX has,
 * which is as of `successfullyAggregatedAt`. Comes instead of `connected`.
 *
 * @example
 * ```ts
 * import type { StatementsJobUnconfirmedEvent, StatementEvent } from 'mx-statements-rx';
 * const stale = (ev: StatementEvent): ev is StatementsJobUnconfirmedEvent => ev.type === 'statements-job-unconfirmed';
 * ```
 */
export interface StatementsJobUnconfirmedEvent {
  readonly type: 'statements-job-unconfirmed';
  readonly memberGuid: string;
  /** The status as it stands (CONNECTED, not aggregating). */
  readonly connectionStatus: string | null;
  /** When the member last aggregated successfully, as MX says: the age of what is listed next. */
  readonly successfullyAggregatedAt: string | null;
  /** How long the run waited for a sign of the job. */
  readonly waitedMs: number;
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
 * `institution-found`, `credentials-required` (not for OAuth institutions), `member-ready`,
 * (`oauth-required`, `status`*)? (OAuth members that need their person), `statements-job-started`, `status`*,
 * (`challenged`, `challenge-answered`, `status`*)*, `connected` | `statements-job-unconfirmed`,
 * `statement-listed`*, (`statement-progress`* `statement-downloaded` | `statement-skipped`)*, `done`.
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
  | OAuthRequiredEvent
  | StatementsJobStartedEvent
  | StatusEvent
  | ChallengedEvent
  | ChallengeAnsweredEvent
  | ConnectedEvent
  | StatementsJobUnconfirmedEvent
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
 * import { credentialField } from './events.js';
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
